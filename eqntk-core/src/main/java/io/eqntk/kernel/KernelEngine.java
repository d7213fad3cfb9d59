package io.eqntk.kernel;

import io.eqntk.kernel.map.VectorSupport;
import io.eqntk.model.Precision;
import io.eqntk.EqntkException;
import io.eqntk.arch.Architecture;
import io.eqntk.model.KernelOp;
import io.eqntk.model.Limits;
import io.eqntk.util.Parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntConsumer;

/**
 * Computes exact NNGP and NTK matrices of an architecture. Walks pairs of inputs over a thread pool; each
 * worker reuses one {@link KernelState} for all its pairs. Layers know nothing of pairs or threads.
 *
 * <p>Per input, one self pass (x, x) records the self-variances every nonlinearity needs; the Gram matrix's
 * diagonal comes from it and only pairs i &lt; j are computed for the rest, mirrored.
 *
 * <p>Three evaluation paths, chosen from the architecture ({@link Evaluation}); all give the same kernels up to
 * rounding, and tests compare them.
 */
public final class KernelEngine {
    /** How a pair's kernel is evaluated. */
    public enum Evaluation {
        /** Only the diagonal t = t' (a flatten readout over stencils and nonlinearities): linear in positions. */
        DIAGONAL,
        /**
         * Displacement slices ({@link SlicePlan}): stencils and nonlinearities, then gap or gpool. Same work as
         * full blocks but each slice stays in cache through all layers, and no pair holds a whole block.
         */
        SLICES,
        /** Whole blocks [H, W, H, W] per group element, layer by layer: any architecture (average pooling). */
        FULL
    }

    /**
     * Bumped whenever the engine's arithmetic changes in the last bits (a new map, another summation order), so
     * that a kernel store never serves a matrix the current code would compute differently. 2: ReLU's
     * division-free map and fixed-order vector sums. 3: networks with average pooling take the hybrid path
     * (slices up to the first pooling, other summation order there). 4: on the hybrid path, the layers between
     * two average poolings run as slices of the pooled kernel too (other summation order there, and float32
     * arithmetic in float32 engines).
     */
    public static final int NUMERICS_REVISION = 4;

    private final Architecture arch;
    private final int threads;
    private final KernelProgram program;
    private final Evaluation evaluation;
    private final Precision precision;
    /** Vector loops on the slice path (off only to test the scalar loops end to end). */
    private final boolean vectorSlices;
    /**
     * On the full-block path, displacement slices up to the first average pooling and full blocks of the pooled
     * grid after it (when the layers before it allow slices); off only for {@link #withFullBlocks}.
     */
    private final boolean hybrid;
    /**
     * Pairs of the slices and hybrid paths run a vector lane each on small grids ({@link SliceEvaluator#runLanes});
     * off only for tests.
     */
    private final boolean lanes;

    public KernelEngine(Architecture arch) {
        this(arch, Runtime.getRuntime().availableProcessors());
    }

    public KernelEngine(Architecture arch, int threads) {
        this(arch, KernelProgram.compile(arch), threads, null, Precision.FLOAT64, VectorSupport.ENABLED, true, true);
    }

    /** {@code evaluation} null: the program's own path. */
    private KernelEngine(Architecture arch, KernelProgram program, int threads, Evaluation evaluation,
                         Precision precision, boolean vectorSlices, boolean hybrid, boolean lanes) {
        if (threads < 1) {
            throw new EqntkException("threads must be at least 1, got " + threads);
        }
        this.arch = arch;
        this.threads = threads;
        this.program = program;
        this.evaluation = evaluation == null ? program.evaluation : evaluation;
        this.hybrid = hybrid && this.evaluation == Evaluation.FULL && SlicePlan.supportsToAvgPool(program);
        this.precision = precision;
        this.vectorSlices = vectorSlices && VectorSupport.ENABLED;
        this.lanes = lanes;
    }

    /** The same engine with the slice path's scalar loops (for tests: they must agree with the vector loops). */
    KernelEngine withScalarSlices() {
        return new KernelEngine(arch, program, threads, evaluation, precision, false, hybrid, lanes);
    }

    /** The same engine running every slice-path pair alone (for tests: the lanes must give its bits). */
    KernelEngine withoutLanes() {
        return new KernelEngine(arch, program, threads, evaluation, precision, vectorSlices, hybrid, false);
    }

    /**
     * The same engine computing full blocks layer by layer, in float64, even where the diagonal-only path or
     * displacement slices would do: slower, and an independent check of those paths.
     */
    public KernelEngine withFullBlocks() {
        return new KernelEngine(arch, program, threads, Evaluation.FULL, Precision.FLOAT64, vectorSlices, false, lanes);
    }

    /**
     * The same engine computing in {@code p}, on every path: FLOAT32 runs the slices, the full blocks and the
     * diagonals in float arithmetic (within 1e-6 relative of FLOAT64 on the benchmark networks, tested), with the
     * slice sums, pooled sums, means and reduced scalars kept in double. One exception: the full blocks after the
     * hybrid path's pooling (a small pooled grid) stay in FLOAT64.
     */
    public KernelEngine withPrecision(Precision p) {
        return new KernelEngine(arch, program, threads, evaluation, p, vectorSlices, hybrid, lanes);
    }

    /** The precision the kernels are computed in. */
    public Precision precision() {
        return precision;
    }

    /**
     * How many pairs of h x w images this engine evaluates at once, one per vector lane (1 where it runs every
     * pair alone): more than 1 on the slice path's and the hybrid path's small grids with the vector loops,
     * when there are enough pairs per thread (at least 32) for whole lanes' worth per task.
     */
    public int pairLanes(int height, int width) {
        if (!lanes || evaluation != Evaluation.SLICES && !hybrid) {
            return 1;
        }
        SlicePlan plan = hybrid ? SlicePlan.compileToAvgPool(program, height, width)
            : SlicePlan.compile(program, height, width);
        return SliceEvaluator.laneCount(plan, vectorSlices, precision);
    }

    /** The evaluation path this engine uses. */
    public Evaluation evaluation() {
        return evaluation;
    }

    /** True when this full-block engine evaluates the layers before the first average pooling by slices. */
    public boolean usesHybridPath() {
        return hybrid;
    }

    /** True when this engine evaluates only diagonals t = t' (a flatten readout with nothing but convolutions and nonlinearities below it). */
    public boolean usesDiagonalPath() {
        return evaluation == Evaluation.DIAGONAL;
    }

    public Architecture architecture() {
        return arch;
    }

    public int threads() {
        return threads;
    }

    /** The symmetric Gram matrices K(X, X). */
    public KernelMatrices gram(ImageBatch x, ProgressListener progress) {
        check(x, "x");
        int n = x.count();
        long total = n + (long) n * (n - 1) / 2;
        AtomicLong done = new AtomicLong();
        ThreadLocal<Workspace> ws = workspaces(x);
        SelfStats[] stats = selfStats(x, ws, done, total, progress);
        double[] nngp = new double[n * n];
        double[] ntk = new double[n * n];
        for (int i = 0; i < n; i++) {
            nngp[i * n + i] = stats[i].nngp;
            ntk[i * n + i] = stats[i].ntk;
        }
        // pairs i < j enumerated row by row; rowStart[i] = pairs before row i
        long[] rowStart = new long[n + 1];
        for (int i = 0; i < n; i++) {
            rowStart[i + 1] = rowStart[i] + (n - 1 - i);
        }
        long pairs = rowStart[n];
        forEachPair(pairs, ws, pairLanes(x.height(), x.width()), p -> {
            int i = rowOf(rowStart, p);
            int j = (int) (i + 1 + (p - rowStart[i]));
            return new PairInput(x, i, x, j, stats[i], stats[j]);
        }, (p, in, sigma, theta) -> {
            nngp[in.i * n + in.j] = sigma;
            ntk[in.i * n + in.j] = theta;
            nngp[in.j * n + in.i] = sigma;
            ntk[in.j * n + in.i] = theta;
            progress.progress(done.incrementAndGet(), total);
        });
        return new KernelMatrices(n, n, nngp, ntk);
    }

    /** The cross matrices K(X1, X2). */
    public KernelMatrices cross(ImageBatch x1, ImageBatch x2, ProgressListener progress) {
        check(x1, "x1");
        check(x2, "x2");
        x1.requireSameShape(x2, "x1", "x2");
        int n1 = x1.count();
        int n2 = x2.count();
        long total = n1 + n2 + (long) n1 * n2;
        AtomicLong done = new AtomicLong();
        ThreadLocal<Workspace> ws = workspaces(x1);
        SelfStats[] s1 = selfStats(x1, ws, done, total, progress);
        SelfStats[] s2 = selfStats(x2, ws, done, total, progress);
        double[] nngp = new double[n1 * n2];
        double[] ntk = new double[n1 * n2];
        long pairs = (long) n1 * n2;
        forEachPair(pairs, ws, pairLanes(x1.height(), x1.width()), p -> {
            int i = (int) (p / n2);
            int j = (int) (p % n2);
            return new PairInput(x1, i, x2, j, s1[i], s2[j]);
        }, (p, in, sigma, theta) -> {
            nngp[(int) p] = sigma;
            ntk[(int) p] = theta;
            progress.progress(done.incrementAndGet(), total);
        });
        return new KernelMatrices(n1, n2, nngp, ntk);
    }

    /**
     * One block of the symmetric Gram matrix K(X, X) of a larger batch X, computed exactly as {@link #gram}
     * computes those entries, so the block equals the matching part of {@code gram(X)} bit for bit.
     *
     * <p>{@code rows} and {@code cols} are contiguous slices of X that start at the global indices
     * {@code rowStart} and {@code colStart} (they may overlap, be the same slice, or lie on either side of
     * the diagonal). Entry (a, b) belongs to the global pair i = rowStart + a, j = colStart + b: for i = j it
     * is the self pass of x_i; otherwise the pair is evaluated in the order (x_min(i,j), x_max(i,j)) with the
     * self statistics of both images, as gram does for i &lt; j, and mirrored. The self passes of the images
     * in both slices are recomputed here (2 / block side of the pair work for square blocks).
     *
     * @return matrices of shape [rows.count(), cols.count()]
     */
    public KernelMatrices gramBlock(ImageBatch rows, int rowStart, ImageBatch cols, int colStart,
                                    ProgressListener progress) {
        check(rows, "rows");
        check(cols, "cols");
        rows.requireSameShape(cols, "row", "column");
        if (rowStart < 0 || colStart < 0) {
            throw new EqntkException("block offsets must not be negative, got " + rowStart + ", " + colStart);
        }
        int nr = rows.count();
        int nc = cols.count();
        boolean same = rows == cols && rowStart == colStart;
        long pairs = (long) nr * nc;
        if (pairs > Integer.MAX_VALUE - 8) {
            throw new EqntkException("a block of " + nr + " x " + nc + " entries is too large");
        }
        // a block on the diagonal is symmetric: compute a < b and mirror, as gram does
        long total = nr + (same ? (long) nr * (nr + 1) / 2 : nc + pairs);
        AtomicLong done = new AtomicLong();
        ThreadLocal<Workspace> ws = workspaces(rows);
        SelfStats[] sr = selfStats(rows, ws, done, total, progress);
        SelfStats[] sc = same ? sr : selfStats(cols, ws, done, total, progress);
        double[] nngp = new double[(int) pairs];
        double[] ntk = new double[(int) pairs];
        // the entries on the global diagonal are self passes, already done
        for (int a = 0; a < nr; a++) {
            long b = (long) rowStart + a - colStart;
            if (b >= 0 && b < nc) {
                nngp[(int) (a * (long) nc + b)] = sr[a].nngp;
                ntk[(int) (a * (long) nc + b)] = sr[a].ntk;
                progress.progress(done.incrementAndGet(), total);
            }
        }
        forEachPair(pairs, ws, pairLanes(rows.height(), rows.width()), p -> {
            int a = (int) (p / nc);
            int b = (int) (p % nc);
            long i = (long) rowStart + a;
            long j = (long) colStart + b;
            if (same && a > b || i == j) {
                return null;
            }
            return i < j ? new PairInput(rows, a, cols, b, sr[a], sc[b]) : new PairInput(cols, b, rows, a, sc[b], sr[a]);
        }, (p, in, sigma, theta) -> {
            int a = (int) (p / nc);
            int b = (int) (p % nc);
            nngp[(int) p] = sigma;
            ntk[(int) p] = theta;
            if (same) {
                nngp[b * nc + a] = sigma;
                ntk[b * nc + a] = theta;
            }
            progress.progress(done.incrementAndGet(), total);
        });
        return new KernelMatrices(nr, nc, nngp, ntk);
    }

    /** {NNGP, NTK} of one pair of images [H, W, C]. */
    public double[] pair(double[] x, double[] xp, int height, int width, int channels) {
        ImageBatch a = new ImageBatch(x.clone(), 1, height, width, channels);
        ImageBatch b = new ImageBatch(xp.clone(), 1, height, width, channels);
        KernelMatrices k = cross(a, b, ProgressListener.NONE);
        return new double[] {k.nngp()[0], k.ntk()[0]};
    }

    private void check(ImageBatch x, String what) {
        arch.validate(x.height(), x.width(), x.channels());
        Limits.pairWork(program.maxBlocks, program.size(), x.height(), x.width(), evaluation == Evaluation.DIAGONAL,
            evaluation == Evaluation.FULL, threads);
        if (evaluation == Evaluation.FULL && program.branchDepth > 0) {
            Limits.fullBlockBranches(program.maxBlocks, program.branchDepth, x.height(), x.width(), threads);
        }
        x.requireFinite(what);
        Limits.inputMagnitude(what, x.data(), x.imageSize());
    }

    /** One worker's reusable buffers: a kernel state and, on the slice path, a slice evaluator. */
    private static final class Workspace {
        final KernelState state;
        final SliceEvaluator slices;
        /** A pair per vector lane, where the plan has such a workspace (else null). */
        final SliceEvaluator lanes;

        Workspace(KernelState state, SliceEvaluator slices) {
            this(state, slices, null);
        }

        Workspace(KernelState state, SliceEvaluator slices, SliceEvaluator lanes) {
            this.state = state;
            this.slices = slices;
            this.lanes = lanes;
        }
    }

    private ThreadLocal<Workspace> workspaces(ImageBatch x) {
        if (evaluation == Evaluation.SLICES) {
            SlicePlan plan = SlicePlan.compile(program, x.height(), x.width());
            int channels = x.channels();
            return ThreadLocal.withInitial(() -> new Workspace(KernelState.create(Precision.FLOAT64, 1, 1),
                SliceEvaluator.create(plan, channels, vectorSlices, precision),
                lanes ? SliceEvaluator.createLanes(plan, channels, vectorSlices, precision) : null));
        }
        if (hybrid) {
            SlicePlan plan = SlicePlan.compileToAvgPool(program, x.height(), x.width());
            int channels = x.channels();
            int po = (plan.minHeight / plan.poolK) * (plan.minWidth / plan.poolK);
            int blocks = program.maxBlocks;
            // the full blocks after the pooling stay in float64 (a small tail: the pooled grid)
            return ThreadLocal.withInitial(() -> new Workspace(KernelState.create(Precision.FLOAT64, blocks, po * po),
                SliceEvaluator.create(plan, channels, vectorSlices, precision),
                lanes ? SliceEvaluator.createLanes(plan, channels, vectorSlices, precision) : null));
        }
        int p = x.height() * x.width();
        boolean diag = evaluation == Evaluation.DIAGONAL;
        long cap = diag ? p : (long) p * p;
        if (cap > Integer.MAX_VALUE - 16) {
            throw new EqntkException("images of " + x.height() + "x" + x.width() + " are too large for the full "
                + "kernel (" + cap + " entries per block)");
        }
        int blocks = diag ? 1 : program.maxBlocks;
        return ThreadLocal.withInitial(() -> new Workspace(KernelState.create(precision, blocks, (int) cap), null));
    }

    private SelfStats[] selfStats(ImageBatch x, ThreadLocal<Workspace> ws, AtomicLong done, long total,
                                  ProgressListener progress) {
        SelfStats[] stats = new SelfStats[x.count()];
        if (cutsHybridJobs(x.count())) {
            for (int i = 0; i < stats.length; i++) {
                stats[i] = new SelfStats(program.size());
            }
            forEachHybridHalf(x.count(), ws, i -> new PairInput(x, (int) i, x, (int) i, null, null), i -> stats[i],
                (p, in, sigma, theta) -> {
                    stats[(int) p].nngp = sigma;
                    stats[(int) p].ntk = theta;
                    progress.progress(done.incrementAndGet(), total);
                });
            return stats;
        }
        parallel(x.count(), i -> {
            Workspace w = ws.get();
            KernelState st = w.state;
            SelfStats s = new SelfStats(program.size());
            runPair(w, x, i, x, i, null, null, s);
            s.nngp = st.sigmaScalar();
            s.ntk = st.thetaScalar();
            stats[i] = s;
            progress.progress(done.incrementAndGet(), total);
        });
        return stats;
    }

    /**
     * Runs the network on the pair (a[i], b[j]). With {@code record} non-null this is a self pair: each
     * nonlinearity takes its variances from the identity block's own diagonal and records them.
     */
    private void runPair(Workspace ws, ImageBatch a, int i, ImageBatch b, int j, SelfStats sa, SelfStats sb,
                         SelfStats record) {
        KernelState st = ws.state;
        int start = 0;
        if (ws.slices != null) {
            ws.slices.run(a, i, b, j, sa, sb, record);
            start = takeSlices(ws.slices, ws.state, -1);
        } else if (evaluation == Evaluation.FULL && program.stridedFirstStencil() != null
            && program.stridedFirstStencil().q() <= Math.min(a.height(), a.width())) {
            // a strided first layer straight from the images' patches: the input block is never formed
            KernelOp.AffineStencil s0 = program.stridedFirstStencil();
            int size = a.imageSize();
            st.initStridedStencil(a.data(), i * size, b.data(), j * size, a.height(), a.width(), a.channels(),
                s0.lift() != null ? s0.lift() : io.eqntk.group.PointGroup.C1, s0);
            start = 1;
        } else {
            int size = a.imageSize();
            st.initInput(a.data(), i * size, b.data(), j * size, a.height(), a.width(), a.channels(),
                evaluation == Evaluation.DIAGONAL);
        }
        runLayers(st, start, sa, sb, record);
    }

    /**
     * The kernel state from the finished slices of {@code slices}, lane {@code lane} of a lane workspace (-1: a
     * one-pair one); the hybrid path's stages end in the last one's pooling. Returns the layer the state
     * continues at.
     */
    private static int takeSlices(SliceEvaluator slices, KernelState st, int lane) {
        SliceEvaluator se = slices.lastStage();
        if (se.plan.poolK > 0) {
            int k = se.plan.poolK;
            se.readLane(Math.max(0, lane));
            st.setFull(se, se.plan.blocks(), se.plan.group, se.plan.minHeight / k, se.plan.minWidth / k,
                se.thetaZero());
            se.readLane(0);
        } else if (lane < 0) {
            st.setReduced(se.sigmaMean(), se.thetaMean(), se.thetaZero());
        } else {
            st.setReduced(se.laneSigmaMean(lane), se.laneThetaMean(lane), se.thetaZero());
        }
        return se.poolLayer() + 1;
    }

    /** Layers {@code start ..} of the program on the state, with the variances of {@link #runPair}. */
    private void runLayers(KernelState st, int start, SelfStats sa, SelfStats sb, SelfStats record) {
        for (int l = start; l < program.size(); l++) {
            if (program.readsVariances(l)) {
                if (st.mode() == KernelState.Mode.REDUCED) {
                    if (record != null) {
                        record.scalar[l] = st.sigmaScalar();
                        st.setScalarVariances(st.sigmaScalar(), st.sigmaScalar());
                    } else {
                        st.setScalarVariances(sa.scalar[l], sb.scalar[l]);
                    }
                } else {
                    if (record != null) {
                        double[] d = st.identityDiagonal();
                        record.spatial[l] = d;
                        st.setVariances(d, d);
                    } else {
                        st.setVariances(sa.spatial[l], sb.spatial[l]);
                    }
                }
            }
            program.apply(st, l);
        }
    }

    /** The inputs of one pair: a[i] and b[j] with their self statistics. */
    private record PairInput(ImageBatch a, int i, ImageBatch b, int j, SelfStats sa, SelfStats sb) {
    }

    /** Pair number p's inputs, or null for a pair to skip. */
    @FunctionalInterface
    private interface PairInputs {
        PairInput of(long p);
    }

    /** Receives pair number p's kernels (from any worker; each p once). */
    @FunctionalInterface
    private interface PairSink {
        void accept(long p, PairInput in, double nngp, double ntk);
    }

    /**
     * Runs pairs 0 .. pairs-1 over the workers, each on its own workspace. Work is handed out one unit at a time
     * from a shared counter (a free worker takes the next), so no worker idles while another holds several units
     * queued. When there are few pairs per worker (nt21's default Gram: 15 pairs on 2 threads), each pair on the
     * slice path is cut into parts by column displacement, run perhaps on different workers, its slice sums kept
     * in place and added in the order one worker adds them: the same bits for any thread count and cut.
     * {@code lanes}: the pairs a workspace runs at once ({@link #pairLanes}), which tasks take whole.
     */
    private void forEachPair(long pairs, ThreadLocal<Workspace> ws, int lanes, PairInputs inputs, PairSink sink) {
        if (cutsHybridJobs(pairs)) {
            forEachHybridHalf((int) pairs, ws, inputs, null, sink);
            return;
        }
        int parts = evaluation == Evaluation.SLICES ? partsPerPair(pairs, ws.get().slices.columnCount()) : 1;
        if (parts == 1) {
            int chunk = chunkSize(pairs, lanes);
            int tasks = (int) ((pairs + chunk - 1) / chunk);
            parallel(tasks, task -> {
                Workspace st = ws.get();
                long p1 = Math.min(pairs, (long) task * chunk + chunk);
                if (st.lanes != null) {
                    runInLanes(st, (long) task * chunk, p1, inputs, sink);
                    return;
                }
                for (long p = (long) task * chunk; p < p1; p++) {
                    PairInput in = inputs.of(p);
                    if (in != null) {
                        runPair(st, in.a, in.i, in.b, in.j, in.sa, in.sb, null);
                        sink.accept(p, in, st.state.sigmaScalar(), st.state.thetaScalar());
                    }
                }
            });
            return;
        }
        int columns = ws.get().slices.columnCount();
        int slices = ws.get().slices.sliceCount();
        // pairs * parts fits an int: partsPerPair only cuts when there are fewer than 32 pairs per thread
        AtomicIntegerArray left = new AtomicIntegerArray((int) pairs);
        AtomicReferenceArray<double[][]> sums = new AtomicReferenceArray<>((int) pairs);
        for (int p = 0; p < pairs; p++) {
            left.set(p, parts);
        }
        parallel((int) pairs * parts, u -> {
            int p = u / parts;
            int part = u % parts;
            PairInput in = inputs.of(p);
            if (in == null) {
                return;
            }
            sums.compareAndSet(p, null, new double[][] {new double[slices], new double[slices]});
            double[][] s = sums.get(p);
            Workspace w = ws.get();
            SliceEvaluator se = w.slices;
            se.runPart(in.a, in.i, in.b, in.j, in.sa, in.sb, part * columns / parts, (part + 1) * columns / parts,
                s[0], s[1]);
            if (left.decrementAndGet(p) == 0) {
                // the last part done: the pooled means from all parts' sums, then the layers after the pooling
                sums.set(p, null);
                KernelState st = w.state;
                st.setReduced(se.meanOf(s[0]), se.thetaZero() ? 0 : se.meanOf(s[1]), se.thetaZero());
                runLayers(st, se.poolLayer() + 1, in.sa, in.sb, null);
                sink.accept(p, in, st.sigmaScalar(), st.thetaScalar());
            }
        });
    }

    /**
     * Pairs [p0, p1) on a workspace with lanes: a lane's worth at a time through {@link SliceEvaluator#runLanes},
     * the rest (fewer than the lanes) one by one; the layers after the pooling run per pair on scalars.
     */
    private void runInLanes(Workspace w, long p0, long p1, PairInputs inputs, PairSink sink) {
        SliceEvaluator se = w.lanes;
        int n = se.laneCount();
        long[] ps = new long[n];
        PairInput[] ins = new PairInput[n];
        ImageBatch[] a = new ImageBatch[n];
        ImageBatch[] b = new ImageBatch[n];
        int[] i = new int[n];
        int[] j = new int[n];
        SelfStats[] sa = new SelfStats[n];
        SelfStats[] sb = new SelfStats[n];
        int k = 0;
        for (long p = p0; p < p1; p++) {
            PairInput in = inputs.of(p);
            if (in == null) {
                continue;
            }
            ps[k] = p;
            ins[k] = in;
            a[k] = in.a;
            i[k] = in.i;
            b[k] = in.b;
            j[k] = in.j;
            sa[k] = in.sa;
            sb[k] = in.sb;
            if (++k < n) {
                continue;
            }
            k = 0;
            se.runLanes(a, i, b, j, sa, sb);
            KernelState st = w.state;
            for (int l = 0; l < n; l++) {
                runLayers(st, takeSlices(se, st, l), sa[l], sb[l], null);
                sink.accept(ps[l], ins[l], st.sigmaScalar(), st.thetaScalar());
            }
        }
        for (int l = 0; l < k; l++) {
            runPair(w, a[l], i[l], b[l], j[l], sa[l], sb[l], null);
            sink.accept(ps[l], ins[l], w.state.sigmaScalar(), w.state.thetaScalar());
        }
    }

    /**
     * True when the hybrid path's pairs (or self passes) are cut into halves: several threads and fewer than 32
     * jobs per thread (Myrtle's default bench Gram: 3 self passes and 3 pairs on 2 threads).
     */
    private boolean cutsHybridJobs(long jobs) {
        return hybrid && threads > 1 && jobs < 32L * threads;
    }

    /** One hybrid job's two halves: their pooled sums and whether their Θ is zero. */
    private static final class Halves {
        final double[][][] sigma = new double[2][][];
        final double[][][] theta = new double[2][][];
        final boolean[] thetaZero = new boolean[2];
    }

    /**
     * Hybrid jobs 0 .. jobs-1 (pairs, or self passes when {@code records} gives each one's statistics to record),
     * each cut into the two halves of its first stage's column displacements ({@link SliceEvaluator#runHalf}), run
     * on any worker: the worker that finishes a job's second half adds both halves' sums and runs the rest of the
     * network. One worker running the whole job adds the same halves the same way, so the bits are the same.
     */
    private void forEachHybridHalf(int jobs, ThreadLocal<Workspace> ws, PairInputs inputs,
                                   java.util.function.IntFunction<SelfStats> records, PairSink sink) {
        AtomicIntegerArray left = new AtomicIntegerArray(jobs);
        AtomicReferenceArray<Halves> halves = new AtomicReferenceArray<>(jobs);
        for (int p = 0; p < jobs; p++) {
            left.set(p, 2);
            halves.set(p, new Halves());
        }
        parallel(2 * jobs, u -> {
            int p = u / 2;
            int half = u % 2;
            PairInput in = inputs.of(p);
            if (in == null) {
                return;
            }
            Workspace w = ws.get();
            SliceEvaluator se = w.slices;
            SelfStats record = records == null ? null : records.apply(p);
            se.runHalf(in.a, in.i, in.b, in.j, in.sa, in.sb, record, half);
            Halves h = halves.get(p);
            h.sigma[half] = se.halfSums(half, false);
            h.theta[half] = se.halfSums(half, true);
            h.thetaZero[half] = se.thetaZero();
            if (left.decrementAndGet(p) == 0) {
                // both halves done (the atomic count orders their writes before these reads)
                halves.set(p, null);
                se.finishHalves(h.sigma, h.theta, h.thetaZero[0] && h.thetaZero[1], in.sa, in.sb, record);
                KernelState st = w.state;
                runLayers(st, takeSlices(w.slices, st, -1), in.sa, in.sb, record);
                sink.accept(p, in, st.sigmaScalar(), st.thetaScalar());
            }
        });
    }

    /**
     * Parts per pair: 1 (whole pairs) with at least 32 pairs per thread, else enough for about 8 units per thread,
     * at most one per 4 column displacements (a part's setup, the images and factors, is then small beside it).
     */
    private int partsPerPair(long pairs, int columns) {
        if (threads == 1 || pairs >= 32L * threads) {
            return 1;
        }
        long wanted = (8L * threads + pairs - 1) / pairs;
        return (int) Math.max(1, Math.min(wanted, columns / 4));
    }

    /** Pairs per task: about 32 tasks per thread, at most 64 pairs, and whole lanes' worth where lanes run. */
    private int chunkSize(long pairs, int lanes) {
        long target = Math.max(1, pairs / ((long) threads * 32));
        int chunk = (int) Math.min(64, target);
        return lanes == 1 ? chunk : Math.max(lanes, chunk - chunk % lanes);
    }

    private static int rowOf(long[] rowStart, long p) {
        int lo = 0;
        int hi = rowStart.length - 2;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (rowStart[mid] <= p) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /**
     * Runs tasks 0 .. tasks-1 on the engine's threads, each worker taking the next task from a shared counter
     * when it is free (a parallel stream would hand out ranges of tasks, and one worker could finish alone with
     * several left in its range).
     */
    private void parallel(int tasks, IntConsumer body) {
        if (threads == 1 || tasks <= 1) {
            Parallel.forEach(1, tasks, body);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Parallel.forEach(threads, Math.min(threads, tasks), worker -> {
            for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
                body.accept(t);
            }
        });
    }
}
