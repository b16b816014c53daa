package io.spate.internal.train;

/**
 * Solves small symmetric positive-definite systems {@code A x = b} in place, for ALS's normal
 * equations: one f x f system per user and per item, so the scratch is reused, never allocated.
 */
final class Cholesky {

    private Cholesky() {
    }

    /**
     * Factors {@code a} (n x n, row-major, lower triangle read) into L L^T in its lower triangle,
     * then overwrites {@code b} with the solution.
     *
     * @return false if {@code a} is not positive definite ({@code b} then undefined)
     */
    static boolean solve(double[] a, double[] b, int n) {
        for (int j = 0; j < n; j++) {
            double diagonal = a[j * n + j];
            for (int p = 0; p < j; p++) {
                diagonal -= a[j * n + p] * a[j * n + p];
            }
            if (!(diagonal > 0)) {
                return false;
            }
            double ljj = Math.sqrt(diagonal);
            a[j * n + j] = ljj;
            for (int i = j + 1; i < n; i++) {
                double sum = a[i * n + j];
                for (int p = 0; p < j; p++) {
                    sum -= a[i * n + p] * a[j * n + p];
                }
                a[i * n + j] = sum / ljj;
            }
        }
        for (int i = 0; i < n; i++) {
            double sum = b[i];
            for (int p = 0; p < i; p++) {
                sum -= a[i * n + p] * b[p];
            }
            b[i] = sum / a[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double sum = b[i];
            for (int p = i + 1; p < n; p++) {
                sum -= a[p * n + i] * b[p];
            }
            b[i] = sum / a[i * n + i];
        }
        return true;
    }
}
