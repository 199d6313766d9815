package dev.whocan.neo4j;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.impl.transaction.log.checkpoint.CheckPointer;
import org.neo4j.kernel.impl.transaction.log.checkpoint.SimpleTriggerInfo;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.kernel.internal.Version;

/**
 * Starts Neo4j Community embedded with only a Bolt connector on 127.0.0.1, authentication on, and
 * the password of user {@code neo4j} set from {@code NEO4J_PASSWORD} at every start.
 *
 * <p>Usage: {@code java [-Xmx4g] -cp 'target/lib/*:target/whocan-neo4j.jar' dev.whocan.neo4j.Launcher
 * --home DIR [--port 7687] [--pagecache 6g] [--tx-max SIZE] [--tx-total SIZE] [--watch-stdin] [--ephemeral]}
 *
 * <p>{@code --watch-stdin} stops Neo4j when stdin reaches end-of-file (the parent process died or closed it),
 * and checkpoints the default database on a line {@code checkpoint} (answered on stdout);
 * {@code --ephemeral} deletes the home directory at exit (for throwaway test databases).
 *
 * <p>stdout carries exactly one line while starting, {@code whocan-neo4j ready bolt://127.0.0.1:PORT},
 * printed once a Bolt handshake succeeds, and {@code whocan-neo4j stopped} after a clean shutdown
 * (SIGTERM, or stdin closing with {@code --watch-stdin}). Problems go to stderr as one line each.
 *
 * <p>Exit codes: 0 stopped cleanly, 1 Neo4j failed to start, 2 bad arguments or environment, 3 the
 * Bolt port is already taken.
 */
public final class Launcher {
    private static final String PREFIX = "whocan-neo4j";
    private static final String HOST = "127.0.0.1";
    private static final int EXIT_FAILED = 1;
    private static final int EXIT_USAGE = 2;
    private static final int EXIT_PORT_TAKEN = 3;

    private static final Object LOCK = new Object();
    private static DatabaseManagementService service;
    private static Options options;
    private static boolean stopping;
    /** Counted down once build() has returned or failed, so a SIGTERM during startup still stops cleanly. */
    private static final CountDownLatch BUILT = new CountDownLatch(1);

    private Launcher() {}

    public static void main(String[] args) {
        try {
            options = Options.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            fail(EXIT_USAGE, e.getMessage());
            return;
        }

        Runtime.getRuntime().addShutdownHook(new Thread(Launcher::shutdown, "whocan-neo4j-shutdown"));

        Path home = options.home;
        try {
            Files.createDirectories(home);
            Files.createDirectories(home.resolve("logs"));
            if (!Files.isWritable(home)) throw new IOException("not writable");
        } catch (IOException | SecurityException e) {
            fail(EXIT_USAGE, "cannot use home directory " + home + ": " + describe(e));
            return;
        }

        if (!portIsFree(options.port)) {
            fail(EXIT_PORT_TAKEN, "port " + options.port + " on " + HOST + " is already in use by another process;"
                    + " stop it or choose another port (--port / WHOCAN_NEO4J_PORT)");
            return;
        }

        long heap = Runtime.getRuntime().maxMemory();
        long txTotal = options.txTotal > 0 ? options.txTotal : Math.max(64L << 20, heap * 6 / 10);
        long txMax = options.txMax > 0 ? options.txMax : Math.max(32L << 20, heap * 4 / 10);
        info("starting Neo4j " + Version.getNeo4jVersion() + " in " + home + " (heap " + ByteUnit.bytesToString(heap)
                + ", page cache " + ByteUnit.bytesToString(options.pageCache) + ", transaction memory "
                + ByteUnit.bytesToString(txMax) + " each / " + ByteUnit.bytesToString(txTotal) + " total)");

        if (options.watchStdin) watchStdin();

        long t0 = System.nanoTime();
        long t1;
        long t2;
        try {
            DatabaseManagementService started = new DatabaseManagementServiceBuilder(home)
                    // Only Bolt, only on the loopback interface. Embedded Neo4j has no HTTP connector;
                    // the server-side routing connector is off too, so nothing else listens.
                    .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(HOST))
                    .setConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress(HOST))
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, options.port))
                    .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, options.port))
                    .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                    .setConfig(GraphDatabaseSettings.routing_enabled, false)
                    // Bolt stops after the databases (already checkpointed); its two 5 s grace waits only slow down a stop.
                    .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                    .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                    .setConfig(GraphDatabaseSettings.auth_enabled, true)
                    .setConfig(GraphDatabaseSettings.udc_enabled, false)
                    // Memory: the heap comes from -Xmx; the page cache is off-heap.
                    .setConfig(GraphDatabaseSettings.pagecache_memory, options.pageCache)
                    .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, txTotal)
                    .setConfig(GraphDatabaseSettings.memory_transaction_max_size, txMax)
                    // Transaction logs: small files, and keep only what recovery needs plus ~128 MiB.
                    .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, 64L << 20)
                    .setConfig(GraphDatabaseSettings.keep_logical_logs, "128M size")
                    .setConfig(GraphDatabaseSettings.preallocate_logical_logs, !options.ephemeral)
                    .build();
            synchronized (LOCK) {
                service = started;
            }
            BUILT.countDown();
            t1 = System.nanoTime();
            setPassword(started, options.password);
            t2 = System.nanoTime();
        } catch (Throwable e) {
            BUILT.countDown();
            if (isStopping()) return; // a SIGTERM during startup; the shutdown hook reports
            fail(EXIT_FAILED, "Neo4j failed to start: " + describe(e) + " (details in " + home.resolve("logs/debug.log") + ")");
            return;
        }

        if (isStopping()) return;
        if (!waitForBolt(options.port, 30_000)) {
            fail(EXIT_FAILED, "Neo4j started but Bolt on " + HOST + ":" + options.port + " does not answer a handshake");
            return;
        }
        info(String.format(Locale.ROOT, "started in %.1f s (databases %.1f s, password %.1f s, JVM up %.1f s)",
                (System.nanoTime() - t0) / 1e9, (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1e3));
        System.out.println(PREFIX + " ready bolt://" + HOST + ":" + options.port);
        System.out.flush();

        try {
            new CountDownLatch(1).await(); // until SIGTERM / System.exit runs the shutdown hook
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sets the password of user neo4j (and clears "change required"); a no-op when it is already the same. */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        } catch (RuntimeException e) {
            String message = String.valueOf(rootCause(e).getMessage()).toLowerCase(Locale.ROOT);
            if (!message.contains("cannot be the same")) throw e;
            // Same password as at the last start, which already cleared "change required".
        }
    }

    private static boolean isStopping() {
        synchronized (LOCK) {
            return stopping;
        }
    }

    private static void shutdown() {
        synchronized (LOCK) {
            stopping = true;
        }
        try {
            BUILT.await(120, TimeUnit.SECONDS); // a stop during startup waits for build() to finish
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        DatabaseManagementService toStop;
        synchronized (LOCK) {
            toStop = service;
            service = null;
        }
        if (toStop != null) {
            info("stopping Neo4j");
            try {
                toStop.shutdown();
            } catch (Throwable e) {
                System.err.println(PREFIX + ": error while stopping Neo4j: " + describe(e));
            }
        }
        if (options != null && options.ephemeral) deleteTree(options.home);
        if (toStop != null) System.out.println(PREFIX + " stopped");
        System.out.flush();
        System.err.flush();
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // best effort; reported below if the directory remains
                }
            });
        } catch (IOException | RuntimeException e) {
            // reported below
        }
        if (Files.exists(root)) System.err.println(PREFIX + ": could not delete " + root);
    }

    /**
     * With --watch-stdin: exit (cleanly, through the shutdown hook) once the parent closes our stdin.
     * A line {@code checkpoint} flushes the default database's store files now (Neo4j Community has no
     * procedure for it), and answers {@code whocan-neo4j checkpoint done} or {@code ... checkpoint failed}
     * on stdout: the benchmark measures bytes on disk after it.
     */
    private static void watchStdin() {
        Thread watcher = new Thread(() -> {
            try {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.trim().equals("checkpoint")) checkpoint();
                }
            } catch (IOException e) {
                // treat like end-of-file
            }
            info("stdin closed (the parent process is gone); shutting down");
            System.exit(0);
        }, "whocan-neo4j-stdin-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void checkpoint() {
        DatabaseManagementService current;
        synchronized (LOCK) {
            current = service;
        }
        try {
            if (current == null) throw new IllegalStateException("Neo4j is not running");
            GraphDatabaseAPI db = (GraphDatabaseAPI) current.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            db.getDependencyResolver().resolveDependency(CheckPointer.class).forceCheckPoint(new SimpleTriggerInfo("whocan-neo4j stdin"));
            System.out.println(PREFIX + " checkpoint done");
        } catch (Throwable e) {
            System.out.println(PREFIX + " checkpoint failed: " + describe(e));
        }
        System.out.flush();
    }

    private static boolean portIsFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as Neo4j's (Netty's) listener does; TIME_WAIT leftovers are fine
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return true;
        } catch (BindException e) {
            return false;
        } catch (IOException e) {
            return true; // let Neo4j report whatever this is
        }
    }

    private static boolean waitForBolt(int port, long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (boltHandshake(port)) return true;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Connects and performs a Bolt handshake (proposing 5.0-5.4 and 4.4); true when the server agrees. */
    static boolean boltHandshake(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(HOST), port), 2_000);
            socket.setSoTimeout(2_000);
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {
                (byte) 0x60, (byte) 0x60, (byte) 0xB0, (byte) 0x17,
                0, 4, 4, 5,
                0, 0, 4, 4,
                0, 0, 0, 0,
                0, 0, 0, 0,
            });
            out.flush();
            byte[] reply = socket.getInputStream().readNBytes(4);
            return reply.length == 4 && (reply[2] != 0 || reply[3] != 0);
        } catch (IOException e) {
            return false;
        }
    }

    private static void info(String message) {
        System.err.println(PREFIX + ": " + message);
        System.err.flush();
    }

    private static void fail(int code, String message) {
        BUILT.countDown();
        System.err.println(PREFIX + ": " + message);
        System.err.flush();
        System.exit(code);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
        return cause;
    }

    private static String describe(Throwable e) {
        Throwable root = rootCause(e);
        String message = root.getMessage() == null ? "" : root.getMessage().replaceAll("\\s+", " ").trim();
        String outer = e.getMessage() == null ? "" : e.getMessage().replaceAll("\\s+", " ").trim();
        String text = root.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
        return root == e || outer.isEmpty() || message.contains(outer) ? text : outer + " (" + text + ")";
    }

    /** Command-line options, with environment variables as fallbacks. */
    private static final class Options {
        Path home;
        int port = 7687;
        long pageCache = ByteUnit.gibiBytes(6);
        long txMax;
        long txTotal;
        boolean watchStdin;
        boolean ephemeral;
        String password;

        static Options parse(String[] args, Map<String, String> env) {
            Options o = new Options();
            String home = env.get("WHOCAN_NEO4J_HOME");
            String port = env.get("WHOCAN_NEO4J_PORT");
            String pageCache = env.get("WHOCAN_NEO4J_PAGECACHE");
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--home" -> home = value(args, ++i, arg);
                    case "--port" -> port = value(args, ++i, arg);
                    case "--pagecache" -> pageCache = value(args, ++i, arg);
                    case "--tx-max" -> o.txMax = size(value(args, ++i, arg), arg);
                    case "--tx-total" -> o.txTotal = size(value(args, ++i, arg), arg);
                    case "--watch-stdin" -> o.watchStdin = true;
                    case "--ephemeral" -> o.ephemeral = true;
                    default -> throw new IllegalArgumentException("unknown argument " + arg
                            + " (usage: --home DIR [--port N] [--pagecache SIZE] [--tx-max SIZE] [--tx-total SIZE] [--watch-stdin] [--ephemeral])");
                }
            }
            if (home == null || home.isBlank()) throw new IllegalArgumentException("--home DIR is required");
            o.home = Path.of(home).toAbsolutePath().normalize();
            if (port != null && !port.isBlank()) {
                try {
                    o.port = Integer.parseInt(port.trim());
                } catch (NumberFormatException e) {
                    o.port = -1;
                }
                if (o.port < 1 || o.port > 65_535) throw new IllegalArgumentException("bad port " + port + ": expected 1-65535");
            }
            if (pageCache != null && !pageCache.isBlank()) o.pageCache = size(pageCache, "--pagecache");
            o.password = env.get("NEO4J_PASSWORD");
            if (o.password == null || o.password.length() < 8) {
                throw new IllegalArgumentException("NEO4J_PASSWORD must be set to at least 8 characters (the password of user neo4j)");
            }
            return o;
        }

        private static String value(String[] args, int i, String name) {
            if (i >= args.length) throw new IllegalArgumentException(name + " needs a value");
            return args[i];
        }

        private static long size(String text, String name) {
            try {
                long bytes = ByteUnit.parse(text.trim());
                if (bytes <= 0) throw new IllegalArgumentException();
                return bytes;
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("bad size for " + name + ": " + text + " (expected e.g. 256m or 6g)");
            }
        }
    }
}
