package dev.tempora.tensor.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One writer at a time in an output directory: a lock file ({@value #FILE_NAME}) holding the owner's
 * pid, host, start time and purpose, locked with {@link FileChannel#tryLock()} while the owner runs.
 *
 * <p>A second writer, in another process or on another thread, gets an {@link IllegalStateException}
 * naming the running one. The operating system drops the lock when its process dies, however it dies,
 * so a lock file that names a process but is not locked is stale: when that process is gone (same
 * host, {@link ProcessHandle#of} empty) it is taken over with a message. If the named process is
 * still alive, or ran on another host, the lock is not taken: the message says to remove the file if
 * no run is going on. Closing truncates the file rather than deleting it: deleting would let a
 * process that opened the old file and one that creates a new one both believe they hold the lock.
 *
 * <p>The thread that holds a directory's lock may acquire it again (a demo that trains, a training
 * job around its trainer); each acquisition is closed on its own, the last close releases the file.
 */
public final class DirectoryLock implements AutoCloseable {

    /** The lock file's name in the locked directory. */
    public static final String FILE_NAME = ".tempora.lock";

    /** Locks held by this JVM, by real directory path: the file lock is per process, the owner check per thread. */
    private static final Map<Path, Held> HELD = new HashMap<>();

    private final Path key;
    private boolean closed;

    private static final class Held {
        final FileChannel channel;
        final FileLock lock;
        final Thread owner;
        final String description;
        int count = 1;

        Held(FileChannel channel, FileLock lock, Thread owner, String description) {
            this.channel = channel;
            this.lock = lock;
            this.owner = owner;
            this.description = description;
        }
    }

    private DirectoryLock(Path key) {
        this.key = key;
    }

    /**
     * Locks {@code directory} (created when missing) for the calling thread.
     *
     * @param directory the output directory
     * @param purpose   what the lock is for, shown to a second writer (e.g. {@code "tempora train"})
     * @param messages  told when a stale lock is taken over (may be null: the message goes nowhere)
     * @return the lock; close it when done writing
     * @throws IllegalStateException when another process or thread holds the directory, naming it
     * @throws UncheckedIOException  when the directory or the lock file cannot be created
     */
    public static DirectoryLock acquire(Path directory, String purpose, Consumer<String> messages) {
        try {
            Files.createDirectories(directory);
            Path key = directory.toRealPath();
            synchronized (HELD) {
                Held held = HELD.get(key);
                if (held != null) {
                    if (held.owner != Thread.currentThread()) {
                        throw inUse(directory, held.description + ", thread '" + held.owner.getName() + "' of this process");
                    }
                    held.count++;
                    return new DirectoryLock(key);
                }
                HELD.put(key, lockFile(key, directory, purpose, messages == null ? m -> { } : messages));
                return new DirectoryLock(key);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(directory + ": cannot lock the output directory: " + e.getMessage(), e);
        }
    }

    private static Held lockFile(Path key, Path directory, String purpose, Consumer<String> messages) throws IOException {
        Path file = key.resolve(FILE_NAME);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // another channel of this JVM holds it: a lock taken outside this class
            }
            String previous = read(channel);
            if (lock == null) {
                throw inUse(directory, previous.isBlank() ? "another process (its lock file is empty)" : previous);
            }
            if (!previous.isBlank()) {
                String refusal = staleLockRefusal(previous, file);
                if (refusal != null) {
                    lock.release();
                    throw new IllegalStateException(directory + " may be in use: " + refusal);
                }
                messages.accept(directory + ": taking over a stale lock (" + previous
                        + ", which is no longer running: it was killed or crashed)");
            }
            String description = "process " + ProcessHandle.current().pid() + " on host " + hostName() + ", "
                    + purpose + ", since " + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((description + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return new Held(channel, lock, Thread.currentThread(), description);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Why an unlocked lock file naming another process is not taken over, or null when it may be: its
     * process is gone from this host.
     */
    private static String staleLockRefusal(String previous, Path file) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^process (\\d+) on host (\\S+),").matcher(previous);
        if (!m.find()) {
            return "its lock file holds '" + previous + "', not a Tempora lock; remove " + file
                    + " if no run is writing there";
        }
        long pid = Long.parseLong(m.group(1));
        if (!m.group(2).equals(hostName())) {
            return "its lock file names " + previous + " (another host, which this one cannot check); remove " + file
                    + " if no run is going on there";
        }
        if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return "its lock file names " + previous + ", and process " + pid + " is still running although it "
                    + "does not hold the lock; remove " + file + " if it is not a Tempora run writing there";
        }
        return null;
    }

    private static IllegalStateException inUse(Path directory, String holder) {
        return new IllegalStateException(directory + " is in use by " + holder
                + "; wait for it to finish or write to another directory");
    }

    private static String read(FileChannel channel) throws IOException {
        long size = Math.min(channel.size(), 4096);
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
            // read() advances the buffer
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
    }

    private static volatile String host;

    /** This machine's name, as the lock file records it (no spaces, so that it reads back as one word). */
    static String hostName() {
        if (host == null) {
            host = lookUpHostName();
        }
        return host;
    }

    private static String lookUpHostName() {
        String name;
        try {
            name = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            name = System.getenv().getOrDefault("HOSTNAME", "unknown-host");
        }
        return name.isBlank() ? "unknown-host" : name.replaceAll("\\s", "_");
    }

    /** {@return what this lock's file says: process, host, purpose and start} */
    public String description() {
        synchronized (HELD) {
            Held held = HELD.get(key);
            return held == null ? "released" : held.description;
        }
    }

    /**
     * Releases this acquisition; the last one of the holding thread empties the lock file and unlocks it.
     *
     * @throws UncheckedIOException when the lock file cannot be emptied or closed
     */
    @Override
    public void close() {
        synchronized (HELD) {
            if (closed) {
                return;
            }
            closed = true;
            Held held = HELD.get(key);
            if (held == null || --held.count > 0) {
                return;
            }
            HELD.remove(key);
            try (FileChannel channel = held.channel) {
                channel.truncate(0);
                channel.force(true);
                held.lock.release();
            } catch (IOException e) {
                throw new UncheckedIOException(key + ": cannot release the output directory's lock: " + e.getMessage(), e);
            }
        }
    }
}
