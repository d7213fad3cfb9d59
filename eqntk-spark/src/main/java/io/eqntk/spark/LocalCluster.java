package io.eqntk.spark;

import io.eqntk.EqntkException;
import org.apache.spark.launcher.JavaModuleOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on this machine: one master and some workers, each a JVM of its own bound to
 * 127.0.0.1 only, started from the Spark jars Maven resolved (the class path {@code target/spark.classpath};
 * no Spark distribution). Its folder holds a stand-in {@code SPARK_HOME} (a {@code jars/} folder of links to
 * those jars, from which workers start their executors), the logs ({@code logs/master.log},
 * {@code logs/worker-<i>.log}; executor logs under {@code work/}) and Spark's scratch space.
 *
 * <p>Every port is free when picked (the master's preferred port is used only when it is free); the master's
 * REST submission server is off. Every JVM of the cluster (master, workers, drivers started with
 * {@link #submit}) is started through {@link ExitWithParent}, so it ends when the process that started it
 * ends, and {@link #close} stops all of them, executors included, and waits until they are gone.
 *
 * <p>From the shell: {@code eqntk-spark/cluster/start}, {@code submit} and {@code stop} (they run
 * {@link #main}).
 */
public final class LocalCluster implements AutoCloseable {
    /** Marks the command line of every JVM of a cluster: {@code -Deqntk.cluster=<folder>}. */
    private static final String MARK = "-Deqntk.cluster=";
    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final Path dir;
    private final String sparkClasspath;
    private final int coresPerWorker;
    private final String workerMemory;
    private Process master;
    private int masterPort;
    private final List<Process> workers = new ArrayList<>();
    private final List<Process> drivers = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();

    private LocalCluster(Path dir, String sparkClasspath, int coresPerWorker, String workerMemory) {
        this.dir = dir;
        this.sparkClasspath = sparkClasspath;
        this.coresPerWorker = coresPerWorker;
        this.workerMemory = workerMemory;
    }

    /**
     * Starts a master and {@code workers} workers of {@code coresPerWorker} cores each and returns when every
     * worker has registered with the master. On any failure whatever was started is stopped again.
     *
     * @param dir            an empty or new folder for the cluster's files
     * @param sparkClasspath the Spark jars, as a class path
     * @param masterPort     the master's port if it is free (0: any free port)
     */
    public static LocalCluster start(Path dir, String sparkClasspath, int workers, int coresPerWorker,
                                     String workerMemory, int masterPort) {
        LocalCluster c = new LocalCluster(dir.toAbsolutePath(), sparkClasspath, coresPerWorker, workerMemory);
        try {
            c.prepare();
            c.startMaster(masterPort);
            for (int i = 0; i < workers; i++) {
                c.workers.add(null);
                c.startWorker(i);
            }
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** The class path file that Maven writes for this module ({@code target/spark.classpath}), read. */
    public static String readClasspath(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new EqntkException("cannot read the Spark class path " + file + " (run mvn -pl eqntk-spark -am "
                + "package -DskipTests first): " + e.getMessage());
        }
    }

    public String masterUrl() {
        return "spark://" + HOST + ":" + masterPort;
    }

    public int masterPort() {
        return masterPort;
    }

    public Path dir() {
        return dir;
    }

    public Path logs() {
        return dir.resolve("logs");
    }

    /** The ports the master and the workers listen on (RPC and web UI). */
    public List<Integer> ports() {
        return List.copyOf(ports);
    }

    public int workerCount() {
        return workers.size();
    }

    /** Whether worker i is running. */
    public boolean workerAlive(int i) {
        return workers.get(i) != null && workers.get(i).isAlive();
    }

    /** The worker JVM i. */
    public ProcessHandle worker(int i) {
        return workers.get(i).toHandle();
    }

    /** The executor JVMs that worker i started and that are still running. */
    public List<ProcessHandle> executorsOf(int i) {
        Process w = workers.get(i);
        return w == null ? List.of() : w.descendants().filter(LocalCluster::isExecutor).toList();
    }

    /** Every executor JVM of this cluster that is still running (also those a killed worker left). */
    public List<ProcessHandle> executors() {
        return processes().stream().filter(LocalCluster::isExecutor).toList();
    }

    /** Every process of this cluster still running: master, workers, executors, drivers. */
    public List<ProcessHandle> processes() {
        // daemons and drivers carry the mark; executors have the stand-in SPARK_HOME on their class path
        String mark = MARK + dir;
        String home = dir.resolve("spark-home").toString();
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
            .filter(p -> p.pid() != self && p.info().commandLine()
                .map(cl -> cl.contains(mark) || cl.contains(home)).orElse(false))
            .toList();
    }

    private static boolean isExecutor(ProcessHandle p) {
        return p.info().commandLine().map(cl -> cl.contains("CoarseGrainedExecutorBackend")).orElse(false);
    }

    /** SIGKILLs worker i and the executors it started, as when its machine is lost; returns their ids. */
    public List<Long> killWorker(int i) {
        Process w = workers.get(i);
        List<ProcessHandle> victims = new ArrayList<>(executorsOf(i));
        victims.add(w.toHandle());
        for (ProcessHandle p : victims) {
            p.destroyForcibly();
        }
        for (ProcessHandle p : victims) {
            p.onExit().join();
        }
        return victims.stream().map(ProcessHandle::pid).toList();
    }

    /** Starts worker i (again, after {@link #killWorker}) and waits until it has registered. */
    public void startWorker(int i) {
        Path log = logs().resolve("worker-" + (i + 1) + ".log");
        for (int attempt = 1; ; attempt++) {
            int port = freePort(0);
            int ui = freePort(0);
            Process p = daemon(log, "org.apache.spark.deploy.worker.Worker", "--host", HOST, "--port",
                String.valueOf(port), "--webui-port", String.valueOf(ui), "--cores", String.valueOf(coresPerWorker),
                "--memory", workerMemory, "--work-dir", dir.resolve("work").toString(), masterUrl());
            workers.set(i, p);
            if (await(p, log, "Successfully registered with master", attempt)) {
                ports.add(port);
                ports.add(ui);
                return;
            }
        }
    }

    private void startMaster(int preferred) {
        Path log = logs().resolve("master.log");
        for (int attempt = 1; ; attempt++) {
            int port = freePort(attempt == 1 ? preferred : 0);
            int ui = freePort(0);
            master = daemon(log, "org.apache.spark.deploy.master.Master", "--host", HOST, "--port",
                String.valueOf(port), "--webui-port", String.valueOf(ui));
            masterPort = port;
            if (await(master, log, "New state: ALIVE", attempt)) {
                ports.add(port);
                ports.add(ui);
                return;
            }
        }
    }

    /**
     * Waits for {@code ready} in the log of a starting daemon. A daemon that exits (a port taken between
     * picking and binding it) is started again, up to three times; one that neither starts nor exits in
     * time fails the start.
     */
    private boolean await(Process p, Path log, String ready, int attempt) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (logHas(log, ready)) {
                return true;
            }
            if (!p.isAlive()) {
                if (attempt >= 3) {
                    throw new EqntkException("Spark daemon failed to start 3 times (exit " + p.exitValue() + "); see "
                        + log);
                }
                return false;
            }
            sleep(200);
        }
        p.destroyForcibly();
        throw new EqntkException("Spark daemon did not start within " + START_TIMEOUT.toSeconds() + " s; see " + log);
    }

    private static boolean logHas(Path log, String s) {
        try {
            return Files.exists(log) && Files.readString(log, StandardCharsets.ISO_8859_1).contains(s);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The command of a driver JVM that runs {@code org.apache.spark.deploy.SparkSubmit} (the class that
     * {@code spark-submit} runs) against this cluster in client mode: {@code sparkArgs} (for example
     * {@code --class}, {@code --executor-memory}) then the application jar and its arguments. The driver
     * binds to 127.0.0.1, has no web UI and logs at WARN unless {@code sparkArgs} says otherwise.
     *
     * @param exitWithParent end the driver when the calling process ends (see {@link ExitWithParent}); for a
     *                       driver started from a shell with inherited input, false
     */
    public ProcessBuilder submit(List<String> sparkArgs, Path appJar, List<String> appArgs, boolean exitWithParent) {
        List<String> cmd = java("1g", dir.resolve("log4j2-driver.properties"));
        if (exitWithParent) {
            cmd.add(ExitWithParent.class.getName());
        }
        cmd.addAll(List.of("org.apache.spark.deploy.SparkSubmit", "--master", masterUrl(), "--deploy-mode", "client",
            "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=" + HOST,
            "--conf", "spark.driver.bindAddress=" + HOST, "--conf", "spark.local.dir=" + dir.resolve("tmp")));
        cmd.addAll(sparkArgs);
        cmd.add(appJar.toAbsolutePath().toString());
        cmd.addAll(appArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        environment(pb.environment());
        return pb;
    }

    /** Starts a driver from {@link #submit}(..., true); it is stopped by {@link #close} at the latest. */
    public synchronized Process startDriver(ProcessBuilder pb) {
        try {
            Process p = pb.start();
            drivers.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops every process of the cluster (drivers, workers, master, then any executor left), each with
     * SIGTERM and after 20 s SIGKILL, and returns when all are gone.
     */
    @Override
    public synchronized void close() {
        List<ProcessHandle> order = new ArrayList<>();
        drivers.forEach(p -> order.add(p.toHandle()));
        for (Process w : workers) {
            if (w != null) {
                order.add(w.toHandle());
            }
        }
        if (master != null) {
            order.add(master.toHandle());
        }
        for (ProcessHandle p : order) {
            stop(p);
        }
        for (ProcessHandle p : processes()) {
            stop(p);
        }
    }

    private static void stop(ProcessHandle p) {
        if (!p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            p.onExit().get(20, TimeUnit.SECONDS);
        } catch (Exception timeout) {
            p.destroyForcibly();
            p.onExit().join();
        }
    }

    private void prepare() {
        try {
            Files.createDirectories(dir.resolve("spark-home").resolve("jars"));
            Files.createDirectories(logs());
            Files.createDirectories(dir.resolve("work"));
            Files.createDirectories(dir.resolve("tmp"));
            for (String jar : sparkClasspath.split(java.io.File.pathSeparator)) {
                Path j = Path.of(jar);
                if (jar.endsWith(".jar") && Files.isRegularFile(j)) {
                    try {
                        Files.createSymbolicLink(dir.resolve("spark-home").resolve("jars").resolve(j.getFileName()), j);
                    } catch (FileAlreadyExistsException same) {
                        // two paths with one file name: the first wins, as on a class path
                    }
                }
            }
            writeLauncherJar(dir.resolve("exit-with-parent.jar"));
            String log = "rootLogger.level = %s%nrootLogger.appenderRef.stderr.ref = console%n"
                + "appender.console.type = Console%nappender.console.name = console%nappender.console.target = SYSTEM_ERR%n"
                + "appender.console.layout.type = PatternLayout%nappender.console.layout.pattern = %%d{HH:mm:ss.SSS} %%p %%c{1}: %%m%%n%n";
            Files.writeString(dir.resolve("log4j2.properties"), String.format(log, "info"));
            Files.writeString(dir.resolve("log4j2-driver.properties"), String.format(log, "warn"));
        } catch (IOException e) {
            throw new EqntkException("cannot prepare the cluster folder " + dir + ": " + e.getMessage());
        }
    }

    /** A jar holding {@link ExitWithParent} alone, so that the class path of drivers holds no eqntk class. */
    private static void writeLauncherJar(Path jar) throws IOException {
        String name = ExitWithParent.class.getName().replace('.', '/') + ".class";
        try (InputStream in = ExitWithParent.class.getClassLoader().getResourceAsStream(name);
             OutputStream out = Files.newOutputStream(jar);
             JarOutputStream j = new JarOutputStream(out)) {
            if (in == null) {
                throw new IOException("class file " + name + " not found");
            }
            j.putNextEntry(new JarEntry(name));
            in.transferTo(j);
            j.closeEntry();
        }
    }

    private Process daemon(Path log, String mainClass, String... args) {
        List<String> cmd = java("512m", dir.resolve("log4j2.properties"));
        cmd.add(ExitWithParent.class.getName());
        cmd.add(mainClass);
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        environment(pb.environment());
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> java(String heap, Path log4j) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptionArray()));
        cmd.add(MARK + dir);
        cmd.add("-Dlog4j2.configurationFile=" + log4j.toUri());
        cmd.add("-Dspark.master.rest.enabled=false");
        cmd.add("-cp");
        cmd.add(dir.resolve("exit-with-parent.jar") + java.io.File.pathSeparator + sparkClasspath);
        return cmd;
    }

    /** Loopback only, the stand-in SPARK_HOME, scratch space in the cluster folder; no inherited Spark setup. */
    private void environment(Map<String, String> env) {
        env.keySet().removeIf(k -> k.startsWith("SPARK_") || k.startsWith("PYSPARK_") || k.equals("HADOOP_CONF_DIR"));
        env.put("SPARK_HOME", dir.resolve("spark-home").toString());
        env.put("SPARK_LOCAL_IP", HOST);
        env.put("SPARK_LOCAL_DIRS", dir.resolve("tmp").toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
    }

    /** {@code preferred} when it is free on 127.0.0.1 (and not 0), else a free port picked by the system. */
    static int freePort(int preferred) {
        if (preferred > 0 && !inUse(preferred)) {
            return preferred;
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether something accepts connections on 127.0.0.1:port, or the port cannot be bound. */
    public static boolean inUse(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 200);
            return true;
        } catch (IOException refused) {
            // nothing listens; can it be bound?
        }
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(HOST, port), 1);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EqntkException("interrupted while starting the Spark cluster");
        }
    }

    /**
     * {@code start DIR CLASSPATH_FILE [WORKERS [CORES [MEMORY]]]}: starts a cluster in DIR, writes its master
     * URL to DIR/master-url and runs until it gets SIGTERM (then stops every process of the cluster).
     * {@code submit DIR CLASSPATH_FILE JOB_JAR [spark options] -- [job arguments]}: runs SparkSubmit against
     * the cluster in DIR with this terminal's input and output and exits with its exit code.
     */
    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("start")) {
            Path dir = Path.of(args[1]);
            int workers = args.length > 3 ? Integer.parseInt(args[3]) : 2;
            int cores = args.length > 4 ? Integer.parseInt(args[4]) : 1;
            String memory = args.length > 5 ? args[5] : "1g";
            LocalCluster c = start(dir, readClasspath(Path.of(args[2])), workers, cores, memory, 7077);
            Runtime.getRuntime().addShutdownHook(new Thread(c::close, "stop-cluster"));
            System.out.println("eqntk-spark: cluster " + c.masterUrl() + " (" + workers + " workers of " + cores
                + " core(s), " + memory + "), logs in " + c.logs());
            System.out.flush();
            Files.writeString(dir.resolve("master-url"), c.masterUrl() + "\n"); // last: the start script waits for it
            Thread.currentThread().join();
        } else if (args.length >= 4 && args[0].equals("submit")) {
            Path dir = Path.of(args[1]).toAbsolutePath();
            String url = Files.readString(dir.resolve("master-url")).strip();
            LocalCluster c = new LocalCluster(dir, readClasspath(Path.of(args[2])), 0, "");
            c.masterPort = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
            List<String> rest = Arrays.asList(args).subList(4, args.length);
            int sep = rest.indexOf("--");
            List<String> spark = sep < 0 ? List.of() : rest.subList(0, sep);
            List<String> job = sep < 0 ? rest : rest.subList(sep + 1, rest.size());
            Process p = c.submit(spark, Path.of(args[3]), job, false).inheritIO().start();
            System.exit(p.waitFor());
        } else {
            System.err.println("usage: LocalCluster start DIR CLASSPATH_FILE [WORKERS [CORES [MEMORY]]]\n"
                + "       LocalCluster submit DIR CLASSPATH_FILE JOB_JAR [spark options] -- [job arguments]");
            System.exit(2);
        }
    }

    /** Deletes a folder tree (the cluster folder after {@link #close}). */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
