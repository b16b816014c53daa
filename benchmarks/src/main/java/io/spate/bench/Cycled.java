package io.spate.bench;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The first {@code n} records of a cycle of records repeated endlessly, as a read-only list whose
 * elements are made when asked: the benchmark's inputs run to 10^7 records, which it must not hold.
 */
final class Cycled extends AbstractList<byte[]> implements RandomAccess {

    /** Makes record {@code index} of cycle {@code cycle}. */
    interface Maker {
        byte[] make(int cycle, int index);
    }

    private final int period;
    private final int size;
    private final Maker maker;

    private Cycled(int period, long n, Maker maker) {
        if (period < 1) {
            throw new IllegalArgumentException("nothing to cycle");
        }
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("cannot make " + n + " records");
        }
        this.period = period;
        this.size = (int) n;
        this.maker = maker;
    }

    /** {@code records} repeated to {@code n}, the same arrays each cycle. */
    static List<byte[]> of(List<byte[]> records, long n) {
        return new Cycled(records.size(), n, (cycle, index) -> records.get(index));
    }

    /** {@code n} records, record {@code i} made as {@code maker.make(i / period, i % period)}. */
    static List<byte[]> made(int period, long n, Maker maker) {
        return new Cycled(period, n, maker);
    }

    @Override
    public byte[] get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        return maker.make(i / period, i % period);
    }

    @Override
    public int size() {
        return size;
    }
}
