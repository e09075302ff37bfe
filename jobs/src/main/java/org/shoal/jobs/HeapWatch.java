package org.shoal.jobs;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * A stage's heap, since {@link #reset}: its peak use ({@link #peakMb}, garbage not yet collected
 * included, so an upper bound) and the most still in use just after a garbage collection ({@link
 * #peakLiveMb}, what survived: what the stage needed at least; with a large {@code -Xmx} the two
 * differ by the garbage the JVM had no reason to collect yet).
 *
 * <p>The heap only grows between collections, so its peak is its use just before one of them, or
 * now. (The pools' own peaks are reached at different moments: their sum exceeded {@code -Xmx}.)
 */
final class HeapWatch {
  private static final AtomicLong PEAK_AFTER_GC = new AtomicLong();
  private static final AtomicLong PEAK_BEFORE_GC = new AtomicLong();
  private static final List<MemoryPoolMXBean> HEAP =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP)
          .toList();
  private static final Set<String> HEAP_POOLS =
      HEAP.stream().map(MemoryPoolMXBean::getName).collect(Collectors.toUnmodifiableSet());

  static {
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(
            (notification, handback) -> {
              if (notification
                  .getType()
                  .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                var info =
                    GarbageCollectionNotificationInfo.from(
                        (CompositeData) notification.getUserData());
                PEAK_BEFORE_GC.accumulateAndGet(
                    heapUsed(info.getGcInfo().getMemoryUsageBeforeGc()), Math::max);
                PEAK_AFTER_GC.accumulateAndGet(
                    heapUsed(info.getGcInfo().getMemoryUsageAfterGc()), Math::max);
              }
            },
            null,
            null);
      }
    }
  }

  private HeapWatch() {}

  /** The heap pools' use in {@code usage} (a collection's before or after figures), in bytes. */
  private static long heapUsed(Map<String, MemoryUsage> usage) {
    return usage.entrySet().stream()
        .filter(e -> HEAP_POOLS.contains(e.getKey()))
        .mapToLong(e -> e.getValue().getUsed())
        .sum();
  }

  /** Starts new peaks (a stage begins). */
  static void reset() {
    PEAK_BEFORE_GC.set(0);
    PEAK_AFTER_GC.set(0);
  }

  /**
   * The most heap in use since {@link #reset}, in MB: its use just before the fullest collection
   * since, or now if more.
   */
  static double peakMb() {
    long now = HEAP.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
    return Math.max(PEAK_BEFORE_GC.get(), now) / 1048576.0;
  }

  /** The largest heap in use just after a collection since {@link #reset}, in MB; 0 without one. */
  static double peakLiveMb() {
    return PEAK_AFTER_GC.get() / 1048576.0;
  }
}
