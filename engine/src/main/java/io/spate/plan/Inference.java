package io.spate.plan;

import java.util.List;

/**
 * A model served in the stream: unlike a {@link Query}, which aggregates records into groups, an
 * inference answers each accepted record of the batch (all of them in one batched computation).
 * Its frame has the record's id first (the record key), then the model's answer.
 */
public sealed interface Inference permits Classify, Recommend {

    /** The output's name. */
    String name();

    /** The safetensors file holding the model. */
    String model();

    /** The input columns this inference reads. */
    List<String> columns();
}
