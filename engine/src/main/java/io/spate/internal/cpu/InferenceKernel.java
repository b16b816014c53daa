package io.spate.internal.cpu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import io.spate.frame.Frame;
import io.spate.internal.codec.DecodedBatch;
import io.spate.internal.model.Mlp;
import io.spate.internal.model.ModelRunners;
import io.spate.internal.model.Recommender;
import io.spate.plan.Classify;
import io.spate.plan.Inference;
import io.spate.plan.Recommend;

/**
 * Runs one model over the accepted records of a decoded batch, as one batched computation, and
 * makes its frame. A record the model cannot answer (an unknown user) is rejected with a reason.
 */
interface InferenceKernel {

    /** The frame for the accepted records of {@code batch}; records it cannot answer go to {@code rejects}. */
    Frame run(DecodedBatch batch, Rejects rejects);

    /** Records rejected by a kernel after decoding, to be merged into the batch's rejects. */
    interface Rejects {
        /** Rejects record {@code row} (rows in ascending order) for {@code reason}. */
        void reject(int row, String reason);
    }

    /** The kernel of {@code inference}, loading its model file; its model runs where {@code runners} says. */
    static InferenceKernel of(Inference inference, DecodedBatch layout, ModelRunners runners) {
        try {
            if (inference instanceof Classify c) {
                return new ClassifyKernel(c, layout, Mlp.load(Path.of(c.model())), runners);
            }
            Recommend r = (Recommend) inference;
            return new RecommendKernel(r, layout, Recommender.load(Path.of(r.model())), runners);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the model of '" + inference.name() + "' from " + inference.model(), e);
        }
    }
}
