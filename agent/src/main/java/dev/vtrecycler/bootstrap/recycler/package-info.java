/**
 * The recycler runtime: pooled virtual threads handed tasks the way Go hands goroutines their
 * {@code g}s. Its classes stand on floors; a class calls classes on its own floor or below, never
 * above, and within a floor calls go one way (no cycles). From the bottom:
 * <ol start="0">
 * <li><b>Leaves</b>, calling nothing here: {@link dev.vtrecycler.bootstrap.recycler.JdkInternals},
 *     {@code Faults}, {@code StackProbe}, {@link dev.vtrecycler.bootstrap.recycler.RecyclerSettings},
 *     {@link dev.vtrecycler.bootstrap.recycler.RecyclerStats}'s counters, {@code TaskJoiners}, and the
 *     two interfaces the floors above implement or call through:
 *     {@link dev.vtrecycler.bootstrap.recycler.TaskHandle} and
 *     {@link dev.vtrecycler.bootstrap.recycler.TaskOwner} (implemented by the recycling executor in
 *     {@code bootstrap.routing}: the recycler runs an owner's tasks without knowing that package).</li>
 * <li><b>A worker and the lists it sits in</b>: {@code Worker} (the state word, the reused hand-off
 *     fields, every transition), {@code LocalList}, {@code GlobalList}, {@code PendingWakes},
 *     {@link dev.vtrecycler.bootstrap.recycler.PlainTask}.</li>
 * <li><b>Rules and views over them</b>: {@code FreeLists} (Go's gfput/gfget/gfpurge numbers),
 *     {@code StackGate}, {@code FreshThread} (and {@code ThreadLocalMaps}, which it calls), {@code SubmitterYield},
 *     {@link dev.vtrecycler.bootstrap.recycler.PooledThreads} (the registry of live workers and how
 *     they look from outside), {@code TaskInterrupts}, {@code RecycledTask}.</li>
 * <li><b>Carriers and time</b>: {@code CarrierLists} (pinned per-carrier lists), {@code Housekeeping},
 *     {@code Housekeeper}.</li>
 * <li><b>The way back</b>, on the worker's own thread: {@code WorkerLoop} (the worker's body) and
 *     {@code ReturnPath} (stack gate and gfput after each task, or retirement).</li>
 * <li><b>The way out</b>, on the submitter's thread: {@code Handoff} (gfget, stage the task in the
 *     worker's reused fields, claim with one CAS, wake; or start a new worker running
 *     {@code WorkerLoop}).</li>
 * <li><b>{@link dev.vtrecycler.bootstrap.recycler.Recycler}</b>: builds the floors and is the
 *     package's public face.</li>
 * </ol>
 * One upward edge remains, read-only: the four pool gauges of {@code RecyclerStats} read the lists
 * through the recycler at scrape time (a reference set once at construction); nothing on a task's
 * path goes through it.
 *
 * <p>Publication rule for the reused hand-off fields: they are written before the volatile write
 * that hands the task over (a CAS, or a release store before {@code Thread.start}), never after;
 * {@code LockSupport.unpark} is not a happens-before edge and nothing relies on it.
 */
package dev.vtrecycler.bootstrap.recycler;
