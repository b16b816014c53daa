package io.spate.gpu.internal;

import java.util.Locale;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

/**
 * The {@code spate.gpu} settings, read once and checked: a bad value fails at start, naming its key.
 *
 * @param mode whether the GPU is used
 * @param device the CUDA device ordinal
 * @param maxPinnedBytes cap on all pinned host memory: the batch source's staging buffers and the backend's own
 * @param stagingBytes the part of {@code maxPinnedBytes} the batch source's staging buffers may take (0: none)
 * @param maxDeviceBytes cap on device memory for batch buffers and group tables
 */
public record GpuSettings(Mode mode, int device, long maxPinnedBytes, long stagingBytes, long maxDeviceBytes) {

    /** {@code spate.gpu.enabled}. */
    public enum Mode {
        /** Use the GPU when a device answers, else the CPU. */
        AUTO,
        /** Use the GPU; fail at start without one. */
        ON,
        /** Never use the GPU. */
        OFF
    }

    /** The settings under {@code spate.gpu} of {@code config} (the node's whole configuration). */
    public static GpuSettings create(Config config) {
        String enabled = config.getString("spate.gpu.enabled").trim().toLowerCase(Locale.ROOT);
        Mode mode;
        switch (enabled) {
            case "auto": mode = Mode.AUTO; break;
            case "on": case "true": mode = Mode.ON; break;
            case "off": case "false": mode = Mode.OFF; break;
            default:
                throw new ConfigException.BadValue("spate.gpu.enabled", "expected auto, on or off, not '" + enabled + "'");
        }
        int device = config.getInt("spate.gpu.device");
        if (device < 0) {
            throw new ConfigException.BadValue("spate.gpu.device", "a device ordinal is 0 or more, not " + device);
        }
        long pinned = positive(config, "spate.gpu.max-pinned-bytes");
        long staging = config.getBytes("spate.gpu.staging-bytes");
        if (staging < 0 || staging >= pinned) {
            throw new ConfigException.BadValue("spate.gpu.staging-bytes",
                    "must be at least 0 and less than spate.gpu.max-pinned-bytes (" + pinned + "), not " + staging);
        }
        return new GpuSettings(mode, device, pinned, staging, positive(config, "spate.gpu.max-device-bytes"));
    }

    /** The pinned memory the backend's own buffers may take: what the staging buffers leave. */
    public long backendPinnedBytes() {
        return maxPinnedBytes - stagingBytes;
    }

    private static long positive(Config config, String key) {
        long v = config.getBytes(key);
        if (v <= 0) {
            throw new ConfigException.BadValue(key, "must be a positive size, not " + v);
        }
        return v;
    }
}
