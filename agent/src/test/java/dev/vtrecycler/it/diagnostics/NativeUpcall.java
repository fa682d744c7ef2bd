package dev.vtrecycler.it.diagnostics;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.util.Optional;

/**
 * A Java callback under a native frame: libc's {@code qsort} called through the foreign-function
 * API with a comparator that runs {@code callback}. A virtual thread that blocks in the callback
 * cannot unmount (a native frame is on its stack): the pinning case that remains on JDK 24+.
 * Reflective because the tests compile for release 21, where java.lang.foreign is a preview API.
 */
final class NativeUpcall {
    private static Runnable callback;

    /** Runs {@code action} inside a qsort comparator (qsort of two ints calls it once). */
    static void run(Runnable action) throws Throwable {
        callback = action;
        Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
        Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
        Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
        Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
        Class<?> segmentType = Class.forName("java.lang.foreign.MemorySegment");
        Class<?> arenaType = Class.forName("java.lang.foreign.Arena");
        Class<?> optionType = Class.forName("java.lang.foreign.Linker$Option");
        Object address = valueLayout.getField("ADDRESS").get(null);
        Object longLayout = valueLayout.getField("JAVA_LONG").get(null);
        Object intLayout = valueLayout.getField("JAVA_INT").get(null);
        Object noOptions = Array.newInstance(optionType, 0);

        Object linker = linkerType.getMethod("nativeLinker").invoke(null);
        Object lookup = linkerType.getMethod("defaultLookup").invoke(linker);
        Object qsortAddress = ((Optional<?>) Class.forName("java.lang.foreign.SymbolLookup").getMethod("find", String.class).invoke(lookup, "qsort")).orElseThrow();
        Object qsortDescriptor = descriptorType.getMethod("ofVoid", layoutType.arrayType())
                .invoke(null, (Object) layouts(layoutType, address, longLayout, longLayout, address));
        MethodHandle qsort = (MethodHandle) linkerType.getMethod("downcallHandle", segmentType, descriptorType, noOptions.getClass())
                .invoke(linker, qsortAddress, qsortDescriptor, noOptions);

        MethodHandle compare = MethodHandles.dropArguments(
                MethodHandles.lookup().findStatic(NativeUpcall.class, "compare", MethodType.methodType(int.class)), 0, segmentType, segmentType);
        Object compareDescriptor = descriptorType.getMethod("of", layoutType, layoutType.arrayType())
                .invoke(null, intLayout, layouts(layoutType, address, address));
        Object arena = arenaType.getMethod("global").invoke(null);
        Object stub = linkerType.getMethod("upcallStub", MethodHandle.class, descriptorType, arenaType, noOptions.getClass())
                .invoke(linker, compare, compareDescriptor, arena, noOptions);
        Object array = Class.forName("java.lang.foreign.SegmentAllocator").getMethod("allocate", long.class).invoke(arena, 8L);
        qsort.invokeWithArguments(array, 2L, 4L, stub);
    }

    private static Object layouts(Class<?> layoutType, Object... layouts) {
        Object array = Array.newInstance(layoutType, layouts.length);
        for (int i = 0; i < layouts.length; i++) {
            Array.set(array, i, layouts[i]);
        }
        return array;
    }

    private static int compare() {
        callback.run();
        return 0;
    }

    private NativeUpcall() {}
}
