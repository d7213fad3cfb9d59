package io.eqntk.data;

/** Exact box-filter weights mapping n source samples onto m target samples along one axis. */
final class Weights {
    final int[] start;
    final int[] len;
    final double[][] weight;

    private Weights(int m) {
        start = new int[m];
        len = new int[m];
        weight = new double[m][];
    }

    static Weights of(int n, int m) {
        Weights w = new Weights(m);
        for (int j = 0; j < m; j++) {
            // target pixel j covers source interval [a, b) in units of source pixels, using exact rationals
            // a = j*n/m, b = (j+1)*n/m; weight of source pixel x = |[x,x+1) ∩ [a,b)| / (n/m)
            long an = (long) j * n;
            long bn = (long) (j + 1) * n;
            int x0 = (int) (an / m);
            int x1 = (int) ((bn + m - 1) / m); // exclusive
            x1 = Math.min(x1, n);
            int l = x1 - x0;
            double[] wt = new double[l];
            for (int t = 0; t < l; t++) {
                long lo = Math.max((long) (x0 + t) * m, an);
                long hi = Math.min((long) (x0 + t + 1) * m, bn);
                wt[t] = (double) (hi - lo) / n; // overlap (hi-lo)/m divided by target width n/m
            }
            w.start[j] = x0;
            w.len[j] = l;
            w.weight[j] = wt;
        }
        return w;
    }
}
