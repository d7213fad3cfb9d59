package io.eqntk.data;

import io.eqntk.EqntkException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code --crop-center}: the centre pixels, kept before resizing. */
class CropCenterTest {
    @Test
    void cropsTheCentreAndDropsAnOddMarginAtBottomRight() {
        double[] img = new double[16];
        for (int i = 0; i < 16; i++) {
            img[i] = i;
        }
        assertArrayEquals(new double[] {5, 6, 9, 10}, Preprocess.cropCenter(img, 4, 4, 1, 2), 0);
        double[] five = new double[25 * 2];
        for (int i = 0; i < five.length; i++) {
            five[i] = i;
        }
        // 5x5, 2 channels, crop 2: top-left corner (1, 1)
        assertArrayEquals(new double[] {12, 13, 14, 15, 22, 23, 24, 25}, Preprocess.cropCenter(five, 5, 5, 2, 2), 0);
        assertThrows(EqntkException.class, () -> Preprocess.cropCenter(img, 4, 4, 1, 5));
    }

    @Test
    void loadingCropsBeforeResizing() {
        LoadOptions o = LoadOptions.defaults().withCaps(3, 1, 1).withCropCenter(32);
        Images native32 = Datasets.open("pcam-1000", null, o).train();
        Images direct = Datasets.open("pcam-1000", null, o.withSize(8)).train();
        Images resized = Preprocess.resize(native32, 8);
        assertArrayEquals(resized.data(), direct.data(), 1e-12);
        assertArrayEquals(new int[] {3, 32, 32, 3}, new int[] {native32.count(), native32.height(), native32.width(),
            native32.channels()});
    }
}
