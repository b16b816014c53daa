package io.spate.plan;

/** Aggregate functions. */
public enum AggFn {
    /** number of records in the group */
    COUNT,
    /** sum of a numeric column */
    SUM,
    /** smallest value of a numeric column */
    MIN,
    /** largest value of a numeric column */
    MAX,
    /** arithmetic mean of a numeric column (a double) */
    MEAN
}
