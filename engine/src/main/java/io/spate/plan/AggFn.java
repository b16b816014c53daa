package io.spate.plan;

/** Aggregate functions. */
public enum AggFn {
    /** number of records in the group */
    COUNT,
    /**
     * sum of a numeric column; over a long column it never wraps: a record whose value would take
     * its group's sum out of the long range is a dead letter ({@code overflow: ...})
     */
    SUM,
    /** smallest value of a numeric column */
    MIN,
    /** largest value of a numeric column */
    MAX,
    /** arithmetic mean of a numeric column (a double) */
    MEAN
}
