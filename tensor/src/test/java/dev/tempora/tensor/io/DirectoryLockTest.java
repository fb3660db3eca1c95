package dev.tempora.tensor.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirectoryLockTest {

    @TempDir
    Path dir;

    /** Run in a child JVM: locks the directory given, says so, and holds the lock until its input closes. */
    public static void main(String[] args) throws IOException {
        try (DirectoryLock lock = DirectoryLock.acquire(Path.of(args[0]), "holder test", null)) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock
            }
        }
    }

    /**
     * The class path of a child JVM that runs this test class: the module path and the class path of this
     * JVM (surefire uses either) and this class's own location (patched into the module on the module path).
     */
    static String childClassPath() throws java.net.URISyntaxException {
        List<String> parts = new ArrayList<>();
        for (String key : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(key);
            if (value != null && !value.isBlank()) {
                parts.add(value);
            }
        }
        parts.add(Path.of(DirectoryLockTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        return String.join(java.io.File.pathSeparator, parts);
    }

    private static Process childHolding(Path directory) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", childClassPath(),
                DirectoryLockTest.class.getName(), directory.toString()).redirectErrorStream(true).start();
        String line = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertEquals("locked", line, "the child JVM should lock the directory");
        return child;
    }

    @Test
    void aSecondWriterIsRefusedNamingTheRunningProcess() throws Exception {
        Process child = childHolding(dir);
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> DirectoryLock.acquire(dir, "second", null));
            assertTrue(e.getMessage().contains("is in use by process " + child.pid() + " on host ")
                    && e.getMessage().contains("holder test"), e.getMessage());
        } finally {
            child.getOutputStream().close();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        // Released at the child's end: the lock file is empty and the directory free.
        assertEquals("", Files.readString(dir.resolve(DirectoryLock.FILE_NAME)));
        try (DirectoryLock lock = DirectoryLock.acquire(dir, "after", null)) {
            assertTrue(lock.description().startsWith("process " + ProcessHandle.current().pid()), lock.description());
        }
    }

    @Test
    void aKilledHoldersLockIsTakenOverWithAMessage() throws Exception {
        Process child = childHolding(dir);
        long pid = child.pid();
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertTrue(Files.readString(dir.resolve(DirectoryLock.FILE_NAME)).startsWith("process " + pid + " "),
                "a killed holder leaves its lock file behind");
        List<String> messages = new ArrayList<>();
        try (DirectoryLock lock = DirectoryLock.acquire(dir, "next", messages::add)) {
            assertEquals(1, messages.size());
            assertTrue(messages.get(0).contains("taking over a stale lock (process " + pid)
                    && messages.get(0).contains("no longer running"), messages.get(0));
        }
    }

    @Test
    void aLockFileNamingALiveProcessOrAnotherHostIsNotTakenOver() throws IOException {
        Path file = dir.resolve(DirectoryLock.FILE_NAME);
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElseThrow();
        Files.writeString(file, "process " + parent + " on host " + DirectoryLock.hostName() + ", x, since now\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DirectoryLock.acquire(dir, "t", null));
        assertTrue(e.getMessage().contains("is still running") && e.getMessage().contains(file.toString()), e.getMessage());
        Files.writeString(file, "process 1 on host elsewhere.example, x, since now\n");
        e = assertThrows(IllegalStateException.class, () -> DirectoryLock.acquire(dir, "t", null));
        assertTrue(e.getMessage().contains("another host"), e.getMessage());
        // Neither refusal holds the lock.
        Files.writeString(file, "");
        DirectoryLock.acquire(dir, "t", null).close();
    }

    @Test
    void theHoldingThreadMayLockAgainAndAnotherThreadMayNot() throws Exception {
        try (DirectoryLock outer = DirectoryLock.acquire(dir, "outer", null)) {
            try (DirectoryLock inner = DirectoryLock.acquire(dir.resolve("."), "inner", null)) {
                assertTrue(inner.description().contains("outer"), inner.description());
            }
            // The inner close does not release the outer lock.
            Throwable other = CompletableFuture.supplyAsync(() -> {
                try {
                    DirectoryLock.acquire(dir, "other thread", null).close();
                    return null;
                } catch (IllegalStateException e) {
                    return e;
                }
            }).get(30, TimeUnit.SECONDS);
            assertTrue(other != null && other.getMessage().contains("is in use by process " + ProcessHandle.current().pid())
                    && other.getMessage().contains(", outer, since ")
                    && other.getMessage().contains("thread '" + Thread.currentThread().getName() + "' of this process"),
                    String.valueOf(other));
        }
        assertEquals("", Files.readString(dir.resolve(DirectoryLock.FILE_NAME)));
    }
}
