package org.shoal.jobs;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The most heap a stage kept alive: after every garbage collection, the heap still in use (what
 * survived it), the largest since {@link #reset}. Unlike the heap's peak use, which with a large
 * {@code -Xmx} is mostly garbage not yet collected, this is what the stage needed at least.
 */
final class HeapWatch {
  private static final AtomicLong PEAK_AFTER_GC = new AtomicLong();
  private static final Set<String> HEAP_POOLS =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP)
          .map(MemoryPoolMXBean::getName)
          .collect(Collectors.toUnmodifiableSet());

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
                long live =
                    info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                        .filter(e -> HEAP_POOLS.contains(e.getKey()))
                        .mapToLong(e -> e.getValue().getUsed())
                        .sum();
                PEAK_AFTER_GC.accumulateAndGet(live, Math::max);
              }
            },
            null,
            null);
      }
    }
  }

  private HeapWatch() {}

  /** Starts a new peak (a stage begins). */
  static void reset() {
    PEAK_AFTER_GC.set(0);
  }

  /** The largest heap in use just after a collection since {@link #reset}, in MB; 0 without one. */
  static double peakLiveMb() {
    return PEAK_AFTER_GC.get() / 1048576.0;
  }
}
