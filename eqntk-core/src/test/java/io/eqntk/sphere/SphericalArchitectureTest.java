package io.eqntk.sphere;

import io.eqntk.EqntkException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SphericalArchitectureTest {
    @Test
    void parsesLayersWithKeys() {
        List<SphericalLayer> l = SphericalArchitecture.parse(
            "s2lift(4, 0.5, b=0.1, n_alpha=6) relu so3conv(3, 0.4, w=1.5, n_gamma=4) erf so3pool dense(b=0.2)");
        assertEquals(new SphericalLayer.S2Lift(4, 0.5, 1, 0.1, 6, 3), l.get(0));
        assertEquals(SphericalLayer.relu(), l.get(1));
        assertEquals(new SphericalLayer.So3Conv(3, 0.4, 1.5, 0, 8, 3, 4), l.get(2));
        assertEquals(SphericalLayer.erf(), l.get(3));
        assertEquals(new SphericalLayer.So3Pool(), l.get(4));
        assertEquals(new SphericalLayer.Dense(1, 0.2), l.get(5));
    }

    @Test
    void errorsNameTheLayer() {
        assertEquals("layer 1 's2lift(4, 4.0)': s2lift(4, 4.000): max_beta must lie in (0, pi], got 4.0",
            assertThrows(EqntkException.class, () -> SphericalArchitecture.parse("s2lift(4, 4.0) so3pool")).getMessage());
        assertEquals("layer 2 'conv(3)': unknown spherical layer 'conv' (s2lift, so3conv, so3pool, relu, erf, dense)",
            assertThrows(EqntkException.class, () -> SphericalArchitecture.parse("s2lift(4, 0.5) conv(3)")).getMessage());
        assertEquals("layer 1 'so3conv(4)': so3conv takes (L_out, max_beta, w=, b=)",
            assertThrows(EqntkException.class, () -> SphericalArchitecture.parse("so3conv(4)")).getMessage());
    }
}
