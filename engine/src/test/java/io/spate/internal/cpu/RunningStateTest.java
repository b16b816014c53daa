package io.spate.internal.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.spate.frame.Column;
import io.spate.frame.ColumnType;
import io.spate.frame.LongColumn;
import io.spate.plan.Aggregate;

class RunningStateTest {

    private static byte[] key(int i) {
        // Keys of different lengths, so that the kept ones move by uneven amounts.
        return ("key-" + i + "-".repeat(i % 7)).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldKeepEveryRetainedGroupsKeyAndValuesThroughRepeatedEvictions() {
        RunningState state = new RunningState(List.of(Aggregate.sum("v", "total")), new ColumnType[] {ColumnType.LONG});
        Map<Integer, Long> model = new HashMap<>();
        int next = 0;
        for (int round = 0; round < 30; round++) {
            // Add 200 new keys and touch some old ones, then drop every key whose number is a multiple of 3 or below a moving floor.
            for (int k = 0; k < 200; k++, next++) {
                add(state, model, next, next + 1L);
            }
            for (int old : model.keySet().stream().limit(50).toList()) {
                add(state, model, old, 1000L);
            }
            int floor = round * 150;
            Map<Integer, Integer> idOf = new HashMap<>();
            for (int i : model.keySet()) {
                byte[] k = key(i);
                idOf.put(state.find(k, 0, k.length), i);
            }
            int dropped = state.retain(g -> idOf.get(g) % 3 != 0 && idOf.get(g) >= floor);
            int before = model.size();
            model.keySet().removeIf(i -> i % 3 == 0 || i < floor);
            assertEquals(before - model.size(), dropped);
            assertEquals(model.size(), state.size());
            for (int i = 0; i < next; i++) {
                byte[] k = key(i);
                int g = state.find(k, 0, k.length);
                if (model.containsKey(i)) {
                    assertEquals((long) model.get(i), state.sum(g, 0), "key " + i + " after round " + round);
                } else {
                    assertEquals(-1, g, "key " + i + " was dropped");
                }
            }
        }
    }

    private static void add(RunningState state, Map<Integer, Long> model, int i, long v) {
        byte[] k = key(i);
        int g = state.findOrAdd(k, 0, k.length);
        state.merge(g, 0, 1, new Column[] {LongColumn.of("total", v)});
        model.merge(i, v, Long::sum);
    }
}
