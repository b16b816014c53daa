package io.spate.internal.codec;

import io.spate.RecordBatch;

/**
 * Decodes every record of a batch into a {@link DecodedBatch}, accepting or rejecting each. A
 * decoder is made for one format and one set of fields, holds scratch state, and is used by one
 * thread at a time.
 */
public interface BatchDecoder {

    /**
     * Decodes {@code batch} into {@code out}, which must have been {@linkplain DecodedBatch#reset
     * reset} for it and made for this decoder's fields.
     */
    void decode(RecordBatch batch, DecodedBatch out);
}
