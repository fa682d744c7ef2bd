package dev.vtrecycler.agent.diagnostics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which virtual thread each carrier has mounted, from {@code VirtualThread.carrierThread} (the
 * agent opens {@code java.lang}). Before JDK 24 a virtual thread that holds a monitor cannot
 * unmount, and HotSpot records the monitor's owner as the carrier: {@code ThreadInfo} of a thread
 * blocked on it names the carrier as lock owner. This map turns that carrier back into the virtual
 * thread that really holds the monitor. Empty where the field cannot be read.
 */
final class CarrierMounts {
    private static final VarHandle CARRIER = carrierHandle();

    /** carrier thread id -> the virtual thread mounted on it, among {@code threads}. */
    static Map<Long, Thread> byCarrier(List<Thread> threads) {
        Map<Long, Thread> mounted = new HashMap<>();
        if (CARRIER == null) {
            return mounted;
        }
        for (Thread t : threads) {
            if (t.isVirtual() && CARRIER.getOpaque(t) instanceof Thread carrier) {
                mounted.put(carrier.threadId(), t);
            }
        }
        return mounted;
    }

    private static VarHandle carrierHandle() {
        try {
            Class<?> virtual = Class.forName("java.lang.VirtualThread", false, null);
            return MethodHandles.privateLookupIn(virtual, MethodHandles.lookup()).findVarHandle(virtual, "carrierThread", Thread.class);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private CarrierMounts() {}
}
