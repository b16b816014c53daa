package io.spate.internal.cpu;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.spate.frame.Column;
import io.spate.frame.ColumnType;
import io.spate.frame.DoubleColumn;
import io.spate.frame.Frame;
import io.spate.frame.LongColumn;
import io.spate.internal.codec.DecodedBatch;
import io.spate.internal.model.Mlp;
import io.spate.internal.model.MlpPredictor;
import io.spate.internal.model.ModelRunners;
import io.spate.plan.Classify;
import io.spate.plan.GroupKey;

/**
 * Classifies every accepted record with the MLP: gathers the features into one row-major matrix,
 * runs the batched forward pass, and writes id, {@code p_signal} and {@code label} per record.
 */
final class ClassifyKernel implements InferenceKernel {

    private static final Logger LOG = LoggerFactory.getLogger(ClassifyKernel.class);

    private final Classify classify;
    private final MlpPredictor runner;
    private final int[] featureColumns;
    private final ColumnType[] featureTypes;
    private final GroupKeys id;
    private float[] x = new float[0];
    private float[] probabilities = new float[0];

    ClassifyKernel(Classify classify, DecodedBatch layout, Mlp mlp, ModelRunners runners) {
        if (mlp.inputs() != classify.features().size()) {
            throw new IllegalArgumentException("classify '" + classify.name() + "': the model takes " + mlp.inputs()
                    + " inputs, the plan gives " + classify.features().size() + " features");
        }
        if (mlp.outputs() != 2) {
            throw new IllegalArgumentException("classify '" + classify.name() + "': the model has " + mlp.outputs() + " outputs, not 2");
        }
        String inputs = mlp.metadata().get(Mlp.INPUTS_KEY);
        if (inputs != null && !inputs.isBlank() && !List.of(inputs.split(",")).equals(classify.features())) {
            throw new IllegalArgumentException("classify '" + classify.name() + "': the model was trained on features " + inputs
                    + ", the plan gives " + classify.features());
        }
        this.classify = classify;
        this.runner = runners.predictor(mlp);
        featureColumns = new int[classify.features().size()];
        featureTypes = new ColumnType[featureColumns.length];
        for (int f = 0; f < featureColumns.length; f++) {
            featureColumns[f] = layout.columnIndex(classify.features().get(f));
            featureTypes[f] = layout.type(featureColumns[f]);
        }
        id = new GroupKeys(List.of(new GroupKey(classify.id(), classify.id())), layout);
    }

    @Override
    public Frame run(DecodedBatch batch, Rejects rejects) {
        int n = batch.acceptedCount();
        int[] rows = batch.accepted();
        int inputs = featureColumns.length;
        if (x.length < n * inputs) {
            x = new float[n * inputs];
            probabilities = new float[n * 2];
        }
        for (int f = 0; f < inputs; f++) {
            if (featureTypes[f] == ColumnType.DOUBLE) {
                double[] v = batch.doubles(featureColumns[f]);
                for (int i = 0; i < n; i++) {
                    x[i * inputs + f] = (float) v[rows[i]];
                }
            } else {
                long[] v = batch.longs(featureColumns[f]);
                for (int i = 0; i < n; i++) {
                    x[i * inputs + f] = v[rows[i]];
                }
            }
        }
        runner.predict(x, n, probabilities);
        double[] pSignal = new double[n];
        long[] label = new long[n];
        long zeros = 0;
        for (int i = 0; i < n; i++) {
            pSignal[i] = probabilities[2 * i + 1];
            label[i] = pSignal[i] >= classify.threshold() ? 1 : 0;
            zeros += 1 - label[i];
        }
        // The tutorial's per-batch report: how many events were classified as class 0.
        LOG.info("{}: {} of {} events classified as class 0", classify.name(), zeros, n);
        id.bind(batch);
        Column ids = id.column(0, rows, n);
        id.unbind();
        return new Frame(List.of(ids, new DoubleColumn("p_signal", pSignal, n), new LongColumn("label", label, n)), 1, n);
    }

}
