package io.spate.gpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

class GpuKernelsResourceTest {

    @Test
    void shouldShipAFatbinResource() {
        byte[] fatbin = GpuDevice.fatbin();
        assertTrue(fatbin.length > 16, "fatbin too small");
        assertEquals(0xBA55ED50, ByteBuffer.wrap(fatbin).order(ByteOrder.LITTLE_ENDIAN).getInt(0), "fatbin magic number");
    }

    @Test
    void shouldHaveAFatbinBuiltFromTheCurrentSources() throws IOException, NoSuchAlgorithmException {
        Path cuda = Path.of("src/main/cuda");
        List<Path> sources;
        try (Stream<Path> files = Files.list(cuda)) {
            sources = files.filter(p -> p.toString().endsWith(".cu") || p.toString().endsWith(".cuh"))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (Path p : sources) {
            sha.update(Files.readAllBytes(p));
        }
        String recorded = Files.readString(Path.of("src/main/resources/io/spate/gpu/spate-kernels.sha256"), StandardCharsets.US_ASCII).strip();
        assertEquals(recorded, HexFormat.of().formatHex(sha.digest()),
                "the committed spate-kernels.fatbin is older than gpu/src/main/cuda: run the build with nvcc to regenerate it "
                        + "(mvn -pl gpu -am package on a machine with /usr/local/bin/nvcc), then commit the fatbin and its .sha256");
    }
}
