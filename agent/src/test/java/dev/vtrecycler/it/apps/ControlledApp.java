package dev.vtrecycler.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for a user's service, run in a forked JVM. It reads commands on stdin and answers each
 * with one line on stdout, so a test can take a baseline, make the app do something, and look again.
 *
 * <ul>
 *   <li>{@code start-kept N}: starts N virtual threads, keeps them, joins them all: {@code ok N}
 *   <li>{@code counters}: the agent's hook counters read from the boot loader:
 *       {@code created=.. terminated=.. started=.. ended=.. errors=..}, or {@code no-agent}
 *   <li>{@code exit}: exits 0
 * </ul>
 */
public final class ControlledApp {
    public static void main(String[] args) throws Exception {
        System.out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (String line; (line = in.readLine()) != null; ) {
            String[] cmd = line.trim().split(" ");
            switch (cmd[0]) {
                case "start-kept" -> System.out.println("ok " + startKept(Integer.parseInt(cmd[1])));
                case "counters" -> System.out.println(counters());
                case "exit" -> {
                    System.out.println("bye");
                    return;
                }
                default -> System.out.println("unknown " + line);
            }
        }
    }

    static int startKept(int n) throws InterruptedException {
        List<Thread> threads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            threads.add(Thread.ofVirtual().start(() -> Thread.onSpinWait()));
        }
        for (Thread t : threads) {
            t.join();
        }
        return threads.size();
    }

    static String counters() throws Exception {
        Class<?> hooks;
        try {
            hooks = Class.forName("dev.vtrecycler.bootstrap.VtHooks", false, null);
        } catch (ClassNotFoundException e) {
            return "no-agent";
        }
        StringBuilder sb = new StringBuilder();
        for (String name : new String[] {"CREATED", "TERMINATED", "STARTED", "ADVICE_ERRORS"}) {
            Field f = hooks.getField(name);
            Object counter = f.get(null);
            long sum = (long) counter.getClass().getMethod("sum").invoke(counter);
            sb.append(name.toLowerCase()).append('=').append(sum).append(' ');
        }
        return sb.toString().trim();
    }
}
