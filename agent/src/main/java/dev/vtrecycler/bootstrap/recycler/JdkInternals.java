package dev.vtrecycler.bootstrap.recycler;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;

/**
 * The JDK internals the recycler reaches, looked up once at class init and held in
 * {@code static final} fields so the JIT inlines them (we compile with {@code --release 21}, so none
 * of these types are visible at compile time). Every handle is erased to {@code Object} once, here,
 * so call sites use {@code invokeExact} with no per-call adaptation.
 *
 * <p>Each group degrades on its own: a JDK whose layout differs loses that feature (one
 * {@code [vtrecycler]} line on stderr, printed by whoever decides to do without it), never the host.
 */
final class JdkInternals {
    private JdkInternals() {}

    // --- pinning and per-carrier storage (required for per-carrier lists) -----------------------
    /** {@code Continuation.pin()}/{@code unpin()}: keep a critical section on one carrier. */
    static final MethodHandle PIN;
    static final MethodHandle UNPIN;
    /** {@code new jdk.internal.misc.CarrierThreadLocal()} as {@code ()Object}. */
    private static final MethodHandle NEW_CARRIER_LOCAL;
    /** {@code VirtualThread.carrierThread} as {@code (Object)Object}: the current carrier while mounted. */
    private static final MethodHandle CARRIER_OF;
    static final String CARRIER_PROBLEM;

    // --- resetting a thread between tasks (required for recycling at all) ----------------------
    /** {@code Thread.threadLocals} setter, {@code (Thread,Object)void}. */
    private static final MethodHandle SET_THREAD_LOCALS;
    /** {@code Thread.inheritableThreadLocals} getter/setter. */
    private static final MethodHandle GET_INHERITABLE;
    private static final MethodHandle SET_INHERITABLE;
    /** {@code ThreadLocal.createInheritedMap(ThreadLocalMap)} as {@code (Object)Object}. */
    private static final MethodHandle CREATE_INHERITED_MAP;
    /** {@code Thread.uncaughtExceptionHandler} getter: the handler set on the thread, null if none. */
    private static final MethodHandle GET_HANDLER;
    /** {@code Thread.threadLocalRandomSeed}, {@code ...Probe}, {@code ...SecondarySeed} setters. */
    private static final MethodHandle SET_TLR_SEED;
    private static final MethodHandle SET_TLR_PROBE;
    private static final MethodHandle SET_TLR_SECONDARY;
    /** {@code Thread.headStackableScopes} getter as {@code (Thread)Object}: open structured scopes. */
    private static final MethodHandle GET_OPEN_SCOPES;
    static final String RESET_PROBLEM;

    // --- the stack gate (optional: without it nothing is gated) --------------------------------
    private static final MethodHandle VT_CONT;       // (Object vthread)Object continuation
    private static final MethodHandle CONT_TAIL;     // (Object continuation)Object chunk
    private static final MethodHandle CHUNK_SIZE;    // (Object chunk)int, words
    private static final MethodHandle CHUNK_PARENT;  // (Object chunk)Object chunk
    static final String STACK_PROBLEM;
    /** Bytes per stack slot. Compressed oops do not shrink stack slots: a frame slot is a machine word. */
    static final int WORD_BYTES = "32".equals(System.getProperty("sun.arch.data.model")) ? 4 : 8;

    private static final MethodType OBJ_OBJ = MethodType.methodType(Object.class, Object.class);

    static {
        MethodHandle pin = null, unpin = null, newCarrierLocal = null, carrierOf = null;
        String carrierProblem = null;
        try {
            Class<?> continuation = Class.forName("jdk.internal.vm.Continuation");
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            pin = lookup.findStatic(continuation, "pin", MethodType.methodType(void.class));
            unpin = lookup.findStatic(continuation, "unpin", MethodType.methodType(void.class));
            Class<?> carrierLocal = Class.forName("jdk.internal.misc.CarrierThreadLocal");
            newCarrierLocal = lookup.findConstructor(carrierLocal, MethodType.methodType(void.class))
                    .asType(MethodType.methodType(Object.class));
            Class<?> vt = Class.forName("java.lang.VirtualThread");
            carrierOf = MethodHandles.privateLookupIn(vt, lookup)
                    .findGetter(vt, "carrierThread", Thread.class).asType(OBJ_OBJ);
        } catch (Throwable t) {
            carrierProblem = describe(t);
            pin = unpin = newCarrierLocal = carrierOf = null;
        }
        PIN = pin;
        UNPIN = unpin;
        NEW_CARRIER_LOCAL = newCarrierLocal;
        CARRIER_OF = carrierOf;
        CARRIER_PROBLEM = carrierProblem;

        MethodHandle setTl = null, getItl = null, setItl = null, inherit = null, getHandler = null;
        MethodHandle tlrSeed = null, tlrProbe = null, tlrSecondary = null, openScopes = null;
        String resetProblem = null;
        try {
            MethodHandles.Lookup threadLookup = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
            Class<?> mapClass = Class.forName("java.lang.ThreadLocal$ThreadLocalMap");
            MethodType setter = MethodType.methodType(void.class, Thread.class, Object.class);
            setTl = threadLookup.findSetter(Thread.class, "threadLocals", mapClass).asType(setter);
            setItl = threadLookup.findSetter(Thread.class, "inheritableThreadLocals", mapClass).asType(setter);
            getItl = threadLookup.findGetter(Thread.class, "inheritableThreadLocals", mapClass)
                    .asType(MethodType.methodType(Object.class, Thread.class));
            inherit = MethodHandles.privateLookupIn(ThreadLocal.class, MethodHandles.lookup())
                    .findStatic(ThreadLocal.class, "createInheritedMap", MethodType.methodType(mapClass, mapClass))
                    .asType(OBJ_OBJ);
            getHandler = threadLookup.findGetter(Thread.class, "uncaughtExceptionHandler",
                    Thread.UncaughtExceptionHandler.class);
            tlrSeed = threadLookup.findSetter(Thread.class, "threadLocalRandomSeed", long.class);
            tlrProbe = threadLookup.findSetter(Thread.class, "threadLocalRandomProbe", int.class);
            tlrSecondary = threadLookup.findSetter(Thread.class, "threadLocalRandomSecondarySeed", int.class);
            // Typed by the field itself: jdk.internal.vm.StackableScope on 21 and 25 alike.
            openScopes = threadLookup.unreflectGetter(Thread.class.getDeclaredField("headStackableScopes"))
                    .asType(MethodType.methodType(Object.class, Thread.class));
        } catch (Throwable t) {
            resetProblem = describe(t);
            setTl = getItl = setItl = inherit = getHandler = tlrSeed = tlrProbe = tlrSecondary = openScopes = null;
        }
        SET_THREAD_LOCALS = setTl;
        GET_INHERITABLE = getItl;
        SET_INHERITABLE = setItl;
        CREATE_INHERITED_MAP = inherit;
        GET_HANDLER = getHandler;
        SET_TLR_SEED = tlrSeed;
        SET_TLR_PROBE = tlrProbe;
        SET_TLR_SECONDARY = tlrSecondary;
        GET_OPEN_SCOPES = openScopes;
        RESET_PROBLEM = resetProblem;

        MethodHandle cont = null, tail = null, size = null, parent = null;
        String stackProblem = null;
        try {
            Class<?> vt = Class.forName("java.lang.VirtualThread");
            Class<?> continuation = Class.forName("jdk.internal.vm.Continuation");
            Class<?> chunk = Class.forName("jdk.internal.vm.StackChunk");
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            // Only tail, size and parent: the other chunk fields changed within 21u (argsize -> bottom).
            cont = MethodHandles.privateLookupIn(vt, lookup).findGetter(vt, "cont", continuation).asType(OBJ_OBJ);
            MethodHandles.Lookup contLookup = MethodHandles.privateLookupIn(continuation, lookup);
            tail = contLookup.findGetter(continuation, "tail", chunk).asType(OBJ_OBJ);
            MethodHandles.Lookup chunkLookup = MethodHandles.privateLookupIn(chunk, lookup);
            size = chunkLookup.findGetter(chunk, "size", int.class)
                    .asType(MethodType.methodType(int.class, Object.class));
            parent = chunkLookup.findGetter(chunk, "parent", chunk).asType(OBJ_OBJ);
        } catch (Throwable t) {
            stackProblem = describe(t);
            cont = tail = size = parent = null;
        }
        VT_CONT = cont;
        CONT_TAIL = tail;
        CHUNK_SIZE = size;
        CHUNK_PARENT = parent;
        STACK_PROBLEM = stackProblem;
    }

    private static String describe(Throwable t) {
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    static boolean carrierListsAvailable() {
        return CARRIER_PROBLEM == null;
    }

    static boolean resetAvailable() {
        return RESET_PROBLEM == null;
    }

    static boolean stackGateAvailable() {
        return STACK_PROBLEM == null;
    }

    static void pin() {
        try {
            PIN.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void unpin() {
        try {
            UNPIN.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @SuppressWarnings("unchecked")
    static <T> ThreadLocal<T> newCarrierLocal() {
        try {
            return (ThreadLocal<T>) (Object) NEW_CARRIER_LOCAL.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The carrier the given (current, mounted, pinned) virtual thread runs on. */
    static Thread carrierOf(Thread virtualThread) {
        try {
            return (Thread) (Object) CARRIER_OF.invokeExact((Object) virtualThread);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void clearThreadLocals(Thread thread) {
        try {
            SET_THREAD_LOCALS.invokeExact(thread, (Object) null);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * What a fresh thread created now by the current thread would get as its inheritable map. Copying
     * runs the application's {@code InheritableThreadLocal.childValue}: whatever it throws reaches the
     * submitter as it is, as it would from {@code Thread}'s constructor, never wrapped (a caller's
     * {@code catch} of its own exception type must still match).
     */
    static Object inheritedMapOfCurrentThread() {
        try {
            Object parentMap = (Object) GET_INHERITABLE.invokeExact(Thread.currentThread());
            return parentMap == null ? null : (Object) CREATE_INHERITED_MAP.invokeExact(parentMap);
        } catch (Throwable t) {
            throw JdkInternals.<RuntimeException>rethrowUnchanged(t);
        }
    }

    /** Throws {@code t} as it is, checked or not (the compiler takes it for a {@code T}). */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T rethrowUnchanged(Throwable t) throws T {
        throw (T) t;
    }

    static void setInheritableThreadLocals(Thread thread, Object map) {
        try {
            SET_INHERITABLE.invokeExact(thread, map);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The handler set on the thread itself (null: none, its group applies), unlike the public getter. */
    static Thread.UncaughtExceptionHandler handlerOf(Thread thread) {
        try {
            return (Thread.UncaughtExceptionHandler) GET_HANDLER.invokeExact(thread);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * ThreadLocalRandom's per-thread seed, probe and secondary seed back to a new thread's zeros, so
     * the next task's {@code ThreadLocalRandom.current()} seeds afresh (and a contended
     * LongAdder/ConcurrentHashMap picks a new probe) instead of continuing the last task's sequence.
     */
    static void resetThreadLocalRandom(Thread thread) {
        try {
            SET_TLR_SEED.invokeExact(thread, 0L);
            SET_TLR_PROBE.invokeExact(thread, 0);
            SET_TLR_SECONDARY.invokeExact(thread, 0);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** True if a task left a structured scope (StructuredTaskScope) open on the thread. */
    static boolean hasOpenScopes(Thread thread) {
        try {
            return (Object) GET_OPEN_SCOPES.invokeExact(thread) != null;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Words of continuation stack the virtual thread retains in its heap chunks (sum of
     * {@code StackChunk.size} from {@code tail} along {@code parent}). Read on the thread itself
     * while mounted, the chain is stable (freeze/thaw only happen when this thread yields). Read
     * from another thread it is a racy snapshot: sizes never change after allocation and the VM
     * swaps {@code tail} atomically, so the worst case is a stale chain, fine for a heuristic.
     */
    static long retainedStackWords(Thread virtualThread) {
        return retainedStackWords(tailChunk(virtualThread));
    }

    /**
     * The continuation's last chunk, where the next freeze goes unless it allocates a new one: null
     * before its first freeze. A chunk never grows or changes its {@code size} and {@code parent}
     * after it is allocated (a freeze that needs more room allocates a new tail), so the same tail
     * object means the same retained stack.
     */
    static Object tailChunk(Thread virtualThread) {
        try {
            Object cont = (Object) VT_CONT.invokeExact((Object) virtualThread);
            return (Object) CONT_TAIL.invokeExact(cont);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Words of stack in {@code tail} and its parents ({@link #retainedStackWords(Thread)}). */
    static long retainedStackWords(Object tail) {
        try {
            long words = 0;
            for (Object chunk = tail; chunk != null; chunk = (Object) CHUNK_PARENT.invokeExact(chunk)) {
                words += (int) CHUNK_SIZE.invokeExact(chunk);
            }
            return words;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
