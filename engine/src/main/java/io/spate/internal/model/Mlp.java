package io.spate.internal.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An immutable multi-layer perceptron classifier: dense layers with ReLU between them and a
 * softmax on the last, fed with each event's features divided by their L2 norm (a zero vector stays
 * zero). The standard network is the one of the CERN "Spark Streaming + Keras" tutorial on the
 * ATLAS Higgs challenge: sizes {@code 30, 500, 1000, 500, 2} ({@link #STANDARD_SIZES}), about one
 * million parameters. An instance is safe to share between threads; each thread predicts through
 * its own {@link MlpRunner} ({@link #runner()}), which owns the scratch buffers.
 *
 * <h2>File format</h2>
 * A safetensors file (see {@link Safetensors}) with, for each layer {@code i = 1 .. L}:
 * <ul>
 *   <li>{@code layer{i}.weight}: F32, shape {@code [out, in]}, the PyTorch {@code nn.Linear}
 *       layout, so that layer {@code i} computes {@code y = W x + b};</li>
 *   <li>{@code layer{i}.bias}: F32, shape {@code [out]}.</li>
 * </ul>
 * Layer 1's {@code in} is the number of features; each layer's {@code in} is the previous one's
 * {@code out}; the last layer's {@code out} is the number of classes. Metadata ({@code __metadata__}):
 * {@code format = spate-mlp}, {@code normalise = l2} (both checked when present), and optionally
 * {@code inputs}, the feature names comma-separated in input order. No other tensors may be present.
 *
 * <p>Exporting from PyTorch, for an {@code nn.Sequential} of {@code Linear}/{@code ReLU} layers
 * trained on L2-normalised inputs:
 * <pre>{@code
 * from safetensors.torch import save_file
 * linears = [m for m in model if isinstance(m, torch.nn.Linear)]
 * tensors = {f"layer{i}.{k}": getattr(m, k).detach().float().contiguous()
 *            for i, m in enumerate(linears, 1) for k in ("weight", "bias")}
 * save_file(tensors, "mlp.safetensors", metadata={"format": "spate-mlp", "normalise": "l2"})
 * }</pre>
 * From Keras: a {@code Dense} layer's kernel is {@code [in, out]}, so write
 * {@code kernel.T} as {@code layer{i}.weight} (and the bias unchanged); a softmax
 * output layer and {@code relu} hidden activations are assumed, as in the tutorial.
 */
public final class Mlp {

    /** The tutorial's network: 30 features, hidden layers of 500, 1000 and 500, two classes. */
    public static final int[] STANDARD_SIZES = {30, 500, 1000, 500, 2};

    /** Metadata key and value naming the format. */
    public static final String FORMAT_KEY = "format";
    /** Value of {@link #FORMAT_KEY}. */
    public static final String FORMAT = "spate-mlp";
    /** Metadata key of the input normalisation. */
    public static final String NORMALISE_KEY = "normalise";
    /** Value of {@link #NORMALISE_KEY}: per-event L2 normalisation, the only one supported. */
    public static final String NORMALISE = "l2";
    /** Metadata key of the comma-separated feature names. */
    public static final String INPUTS_KEY = "inputs";

    private final int[] sizes;
    // Per layer, [in][out]: the transpose of the file layout, so that the forward pass streams
    // contiguous rows of the weights (see MlpRunner.multiplyAdd).
    private final float[][][] weightsT;
    private final float[][] biases;
    private final Map<String, String> metadata;

    /** Takes ownership of the arrays: callers hand over fresh ones and keep no reference. */
    public Mlp(int[] sizes, float[][][] weightsT, float[][] biases, Map<String, String> metadata) {
        this.sizes = sizes.clone();
        this.weightsT = weightsT;
        this.biases = biases;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * A network with Glorot-uniform weights and zero biases, the same for the same seed.
     *
     * @param sizes the layer sizes, inputs first and classes last; at least two
     * @param seed the random seed
     * @return the network
     */
    public static Mlp random(int[] sizes, long seed) {
        checkSizes(sizes);
        SplittableRandom random = new SplittableRandom(seed);
        int layers = sizes.length - 1;
        float[][][] weightsT = new float[layers][][];
        float[][] biases = new float[layers][];
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            double limit = Math.sqrt(6.0 / (in + out));
            float[][] w = new float[in][out];
            // Drawn in file order ([out][in]) so the values do not depend on the internal layout.
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    w[i][o] = (float) ((random.nextDouble() * 2 - 1) * limit);
                }
            }
            weightsT[l] = w;
            biases[l] = new float[out];
        }
        return new Mlp(sizes, weightsT, biases, Map.of());
    }

    /**
     * Reads a network written by {@link #save} or exported as the class comment describes.
     *
     * @param file a safetensors file
     * @return the network; its {@link #metadata()} is the file's
     * @throws IOException if the file cannot be read, or a tensor is missing, unexpected or of the
     *         wrong shape (the message names it)
     */
    public static Mlp load(Path file) throws IOException {
        Safetensors.Contents contents = Safetensors.read(file);
        Map<String, String> metadata = contents.metadata();
        expectMetadata(file, metadata, FORMAT_KEY, FORMAT);
        expectMetadata(file, metadata, NORMALISE_KEY, NORMALISE);
        int layers = 0;
        while (contents.tensors().containsKey(weightName(layers + 1))) {
            layers++;
        }
        if (layers == 0) {
            throw new IOException(file + ": no tensor '" + weightName(1) + "' (have " + contents.tensors().keySet() + ")");
        }
        if (contents.tensors().size() != 2 * layers) {
            for (String name : contents.tensors().keySet()) {
                if (!isLayerTensor(name, layers)) {
                    throw new IOException(file + ": unexpected tensor '" + name + "' (an MLP of " + layers
                            + " layers has layer1.weight, layer1.bias .. layer" + layers + ".bias)");
                }
            }
        }
        int[] sizes = new int[layers + 1];
        float[][][] weightsT = new float[layers][][];
        float[][] biases = new float[layers][];
        try {
            for (int l = 0; l < layers; l++) {
                String name = weightName(l + 1);
                Safetensors.Tensor w = contents.require(name);
                int[] shape = w.shape();
                if (shape.length != 2 || shape[0] <= 0 || shape[1] <= 0 || (l > 0 && shape[1] != sizes[l])) {
                    throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(shape)
                            + ", expected [out, " + (l == 0 ? "in" : String.valueOf(sizes[l])) + "]");
                }
                sizes[l] = shape[1];
                sizes[l + 1] = shape[0];
                weightsT[l] = transposeFromFile(w.data(), shape[0], shape[1]);
                biases[l] = contents.require(biasName(l + 1), shape[0]).data().clone();
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        return new Mlp(sizes, weightsT, biases, metadata);
    }

    /**
     * Writes the network in the format of the class comment.
     *
     * @param file where to write (replaced if present)
     * @param extraMetadata more metadata, e.g. {@link #INPUTS_KEY}; it overrides this network's
     *        {@link #metadata()} but may not set {@link #FORMAT_KEY} or {@link #NORMALISE_KEY}
     * @throws IOException if the file cannot be written
     */
    public void save(Path file, Map<String, String> extraMetadata) throws IOException {
        if (!extraMetadata.getOrDefault(FORMAT_KEY, FORMAT).equals(FORMAT)
                || !extraMetadata.getOrDefault(NORMALISE_KEY, NORMALISE).equals(NORMALISE)) {
            throw new IllegalArgumentException("metadata '" + FORMAT_KEY + "' and '" + NORMALISE_KEY
                    + "' are fixed by the format, got " + extraMetadata);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(FORMAT_KEY, FORMAT);
        meta.put(NORMALISE_KEY, NORMALISE);
        metadata.forEach(meta::putIfAbsent);
        meta.putAll(extraMetadata);
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        for (int l = 0; l < layers(); l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            float[] w = new float[out * in];
            for (int i = 0; i < in; i++) {
                float[] row = weightsT[l][i];
                for (int o = 0; o < out; o++) {
                    w[o * in + i] = row[o];
                }
            }
            tensors.put(weightName(l + 1), new Safetensors.Tensor(new int[] {out, in}, w));
            tensors.put(biasName(l + 1), new Safetensors.Tensor(new int[] {out}, biases[l].clone()));
        }
        Safetensors.write(file, tensors, meta);
    }

    /** A forward-pass runner with its own scratch buffers; see {@link MlpRunner}. */
    public MlpRunner runner() {
        return new MlpRunner(this, MlpRunner.DEFAULT_PARALLEL);
    }

    /**
     * A runner that splits large batches across the common fork-join pool ({@code parallel}) or
     * runs on the calling thread only.
     */
    public MlpRunner runner(boolean parallel) {
        return new MlpRunner(this, parallel);
    }

    /** Features per event. */
    public int inputs() {
        return sizes[0];
    }

    /** Classes, i.e. probabilities per event. */
    public int outputs() {
        return sizes[sizes.length - 1];
    }

    /** Dense layers (one fewer than sizes). */
    public int layers() {
        return sizes.length - 1;
    }

    /** The layer sizes, inputs first and classes last (a copy). */
    public int[] sizes() {
        return sizes.clone();
    }

    /** Weights and biases in all. */
    public long parameters() {
        long n = 0;
        for (int l = 0; l < layers(); l++) {
            n += (long) sizes[l] * sizes[l + 1] + sizes[l + 1];
        }
        return n;
    }

    /** The metadata read by {@link #load} (empty for a network built in memory). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Layer {@code l}'s (from 0) weights as {@code [in][out]}; shared, not to be modified.
     * Internal API: public for the GPU backend, which uploads them to its device.
     */
    public float[][] weightsT(int l) {
        return weightsT[l];
    }

    /** Layer {@code l}'s (from 0) biases; shared, not to be modified. Internal API, as {@link #weightsT}. */
    public float[] bias(int l) {
        return biases[l];
    }

    /** Checks a layer-size list: at least an input and an output size, all positive. */
    public static void checkSizes(int[] sizes) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("an MLP needs at least input and output sizes, got " + Arrays.toString(sizes));
        }
        for (int s : sizes) {
            if (s <= 0) {
                throw new IllegalArgumentException("layer sizes must be positive, got " + Arrays.toString(sizes));
            }
        }
    }

    static String weightName(int layer) {
        return "layer" + layer + ".weight";
    }

    static String biasName(int layer) {
        return "layer" + layer + ".bias";
    }

    private static boolean isLayerTensor(String name, int layers) {
        for (int l = 1; l <= layers; l++) {
            if (name.equals(weightName(l)) || name.equals(biasName(l))) {
                return true;
            }
        }
        return false;
    }

    private static void expectMetadata(Path file, Map<String, String> metadata, String key, String expected) throws IOException {
        String value = metadata.get(key);
        if (value != null && !value.equals(expected)) {
            throw new IOException(file + ": metadata " + key + " is '" + value + "', expected '" + expected + "'");
        }
    }

    private static float[][] transposeFromFile(float[] w, int out, int in) {
        float[][] t = new float[in][out];
        for (int o = 0; o < out; o++) {
            int base = o * in;
            for (int i = 0; i < in; i++) {
                t[i][o] = w[base + i];
            }
        }
        return t;
    }
}
