package dev.vtrecycler.bootstrap.recycler;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Clears a pooled thread's thread-locals between tasks by emptying its {@code ThreadLocalMap} in
 * place, so the next task's first {@code ThreadLocal.set} or {@code get} does not allocate a new
 * map and table (104 B: the map and its 16-slot {@code Entry[]}; Tomcat and Spring Boot make one
 * or two per request). A fresh thread has no map at all; an empty one is the same to every
 * {@code ThreadLocal}: {@code get} misses and computes the initial value, {@code set} inserts,
 * {@code remove} finds nothing. Only the owner thread reads or writes its map, and this runs on
 * it, between tasks.
 *
 * <p>Emptying writes the table's used slots to null and {@code size} to 0; {@code threshold} depends
 * on the table's length only, which is kept. {@code size} counts the table's non-null slots (stale
 * entries included until expunged), so a map whose size is 0 is already empty and is left as it is:
 * a task that sets nothing, or removes what it set (Spring's request holders do), costs two reads.
 * A table that grew beyond its first 16 slots (a task that held many thread-locals) is let go
 * instead, as before: clearing it would cost more per task, and an idle pooled thread should not
 * hold a large table. The entries dropped are garbage with their
 * values, as when the map was dropped whole (nothing else references them: a
 * {@code ThreadLocalMap} is reached only through its thread's field).
 *
 * <p>JDK 21 and 25 have the same fields ({@code table}, {@code size}, {@code threshold}). A JDK
 * without them (or where they cannot be reached) drops the map, as before, with one line from
 * {@link Recycler}: a leaf of its own, so that failure costs only the bytes.
 */
final class ThreadLocalMaps {
    private ThreadLocalMaps() {}

    /** A new map's table length ({@code ThreadLocalMap.INITIAL_CAPACITY}): larger tables are let go. */
    static final int KEPT_TABLE_SLOTS = 16;

    /** {@code Thread.threadLocals} as {@code (Thread)Object}; null where emptying is unavailable. */
    private static final MethodHandle MAP_OF;
    /** {@code ThreadLocalMap.table} as {@code (Object)Object[]}. */
    private static final MethodHandle TABLE_OF;
    /** {@code ThreadLocalMap.size} getter and setter as {@code (Object)int} and {@code (Object,int)void}. */
    private static final MethodHandle SIZE_OF;
    private static final MethodHandle SET_SIZE;

    static {
        MethodHandle mapOf = null, tableOf = null, sizeOf = null, setSize = null;
        try {
            Class<?> mapClass = Class.forName("java.lang.ThreadLocal$ThreadLocalMap");
            MethodHandles.Lookup threadLookup = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
            MethodHandles.Lookup mapLookup = MethodHandles.privateLookupIn(mapClass, MethodHandles.lookup());
            Class<?> entryArray = Class.forName("[Ljava.lang.ThreadLocal$ThreadLocalMap$Entry;");
            mapOf = threadLookup.findGetter(Thread.class, "threadLocals", mapClass)
                    .asType(MethodType.methodType(Object.class, Thread.class));
            tableOf = mapLookup.findGetter(mapClass, "table", entryArray)
                    .asType(MethodType.methodType(Object[].class, Object.class));
            sizeOf = mapLookup.findGetter(mapClass, "size", int.class)
                    .asType(MethodType.methodType(int.class, Object.class));
            setSize = mapLookup.findSetter(mapClass, "size", int.class)
                    .asType(MethodType.methodType(void.class, Object.class, int.class));
        } catch (Throwable t) {
            mapOf = tableOf = sizeOf = setSize = null;
        }
        MAP_OF = mapOf;
        TABLE_OF = tableOf;
        SIZE_OF = sizeOf;
        SET_SIZE = setSize;
    }

    static boolean emptiesInPlace() {
        return MAP_OF != null;
    }

    /**
     * Leaves the current (pooled, between tasks) thread with no thread-local values: its map emptied
     * when it has one of the first size, else no map, as a fresh thread.
     */
    static void clear(Thread self) {
        if (MAP_OF == null) {
            JdkInternals.clearThreadLocals(self);
            return;
        }
        try {
            Object map = (Object) MAP_OF.invokeExact(self);
            if (map == null || (int) SIZE_OF.invokeExact(map) == 0) {
                return; // no map, or the task removed what it set: nothing to clear
            }
            Object[] table = (Object[]) TABLE_OF.invokeExact(map);
            if (table.length > KEPT_TABLE_SLOTS) {
                JdkInternals.clearThreadLocals(self);
                return;
            }
            for (int i = 0; i < table.length; i++) {
                if (table[i] != null) {
                    table[i] = null; // only the used slots: a store into a promoted table marks a card
                }
            }
            SET_SIZE.invokeExact(map, 0);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
