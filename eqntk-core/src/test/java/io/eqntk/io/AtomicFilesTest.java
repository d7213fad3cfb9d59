package io.eqntk.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void resultFilesAreReadableByAllAndReplaceOldContent() throws Exception {
        Path p = dir.resolve("out.txt");
        AtomicFiles.writeString(p, "first");
        AtomicFiles.writeString(p, "second");
        assertEquals("second", Files.readString(p));
        if (Files.getFileStore(p).supportsFileAttributeView("posix")) {
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        }
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left");
        }
    }
}
