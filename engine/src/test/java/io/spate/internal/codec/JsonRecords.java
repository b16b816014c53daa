package io.spate.internal.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/** Splits a JSON array file into one compact record per element, as a producer would send them. */
public final class JsonRecords {

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonRecords() {
    }

    /** The elements of the top-level array in {@code json}, each re-serialized compactly. */
    public static List<byte[]> split(byte[] json) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException("not a JSON array");
            }
            while (p.nextToken() != JsonToken.END_ARRAY) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (JsonGenerator g = FACTORY.createGenerator(bytes)) {
                    g.copyCurrentStructure(p);
                }
                out.add(bytes.toByteArray());
            }
        }
        return out;
    }
}
