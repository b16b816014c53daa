package io.spate.internal.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@code spate-mf} safetensors layout of a {@link Recommender} (documented there): kept apart
 * so the model class holds only what serving needs.
 */
final class RecommenderFormat {

    /** The {@code format} metadata value that marks a recommender file. */
    static final String FORMAT = "spate-mf";

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecommenderFormat() {
    }

    /** Writes {@code model} to {@code file}. */
    static void write(Recommender model, Path file) throws IOException {
        int users = model.users();
        int items = model.items();
        int f = model.factors();
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("user_factors", new Safetensors.Tensor(new int[] {users, f}, model.userFactors()));
        tensors.put("item_factors", new Safetensors.Tensor(new int[] {items, f}, model.itemFactors()));
        tensors.put("user_ids", new Safetensors.Tensor(new int[] {users}, toFloats(model.userIds())));
        tensors.put("item_ids", new Safetensors.Tensor(new int[] {items}, toFloats(model.itemIds())));
        tensors.put("rated_indptr", new Safetensors.Tensor(new int[] {users + 1}, toFloats(model.ratedIndptr())));
        tensors.put("rated_items", new Safetensors.Tensor(new int[] {model.ratedItems().length}, toFloats(model.ratedItems())));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", FORMAT);
        metadata.put("algorithm", model.algorithm());
        metadata.put("rmse", Double.toString(model.rmse()));
        metadata.put("score", "dot(user_factors[u], item_factors[i])");
        metadata.put("titles", JSON.writeValueAsString(model.titles()));
        Safetensors.write(file, tensors, metadata);
    }

    /** Reads a model from {@code file}, checking the layout. */
    static Recommender read(Path file) throws IOException {
        Safetensors.Contents contents = Safetensors.read(file);
        Map<String, String> metadata = contents.metadata();
        if (!FORMAT.equals(metadata.get("format"))) {
            throw new IOException(file + ": not a " + FORMAT + " model (format is " + metadata.get("format") + ")");
        }
        try {
            Safetensors.Tensor userFactors = contents.require("user_factors");
            Safetensors.Tensor itemFactors = contents.require("item_factors");
            if (userFactors.shape().length != 2 || itemFactors.shape().length != 2 || userFactors.cols() != itemFactors.cols()) {
                throw new IllegalArgumentException("user_factors and item_factors must be 2-D with the same width");
            }
            int users = userFactors.rows();
            int items = itemFactors.rows();
            long[] userIds = toLongs("user_ids", contents.require("user_ids", users).data());
            long[] itemIds = toLongs("item_ids", contents.require("item_ids", items).data());
            int[] indptr = toInts("rated_indptr", contents.require("rated_indptr", users + 1).data());
            Safetensors.Tensor rated = contents.require("rated_items");
            if (rated.shape().length != 1) {
                throw new IllegalArgumentException("rated_items must be 1-D");
            }
            String[] titles = titles(metadata.get("titles"), items);
            double rmse = Double.parseDouble(metadata.getOrDefault("rmse", "NaN"));
            return new Recommender(userIds, userFactors.data(), itemIds, itemFactors.data(), userFactors.cols(),
                    indptr, toInts("rated_items", rated.data()), titles, metadata.getOrDefault("algorithm", ""), rmse);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static String[] titles(String json, int items) {
        if (json == null) {
            return new String[items];
        }
        String[] titles;
        try {
            titles = JSON.readValue(json, String[].class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata 'titles' is not a JSON array of strings: " + e.getOriginalMessage(), e);
        }
        if (titles.length != items) {
            throw new IllegalArgumentException("metadata 'titles' has " + titles.length + " entries for " + items + " items");
        }
        return titles;
    }

    private static float[] toFloats(long[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static float[] toFloats(int[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            // Offsets and indexes beyond 2^24 would round: refuse rather than write a corrupt file.
            if (Math.abs(values[i]) > Recommender.MAX_ID) {
                throw new IllegalArgumentException("value " + values[i] + " is too large for an F32 index tensor (max 2^24)");
            }
            out[i] = values[i];
        }
        return out;
    }

    private static long[] toLongs(String name, float[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] != Math.rint(values[i]) || Float.isInfinite(values[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] = " + values[i] + " is not an integer");
            }
            out[i] = (long) values[i];
        }
        return out;
    }

    private static int[] toInts(String name, float[] values) {
        long[] longs = toLongs(name, values);
        int[] out = new int[longs.length];
        for (int i = 0; i < longs.length; i++) {
            out[i] = (int) longs[i];
        }
        return out;
    }
}
