package dev.vtrecycler.bootstrap.context;

/**
 * One APM agent's trace context, seen from the recycling executor: what the agent's own executor
 * instrumentation would capture at submission and make current while the task runs. Implementations
 * reach the agent only reflectively (nothing of it is a dependency of ours) and may throw;
 * {@link TaskContext} suppresses and counts that.
 */
interface ContextBridge {
    /** The agent's name as shown on the startup line and {@code vtrecycler_apm_agent_info}. */
    String agent();

    /** On the submitting thread: the context to carry into {@code task}, or null for none. */
    Object capture(Object task) throws Throwable;

    /** On the thread about to run the task: makes {@code captured} current; returns what {@link #exit} closes. */
    Object enter(Object captured) throws Throwable;

    /** Right after the task returned or threw, on the same thread: restores what was current before. */
    void exit(Object scope) throws Throwable;
}
