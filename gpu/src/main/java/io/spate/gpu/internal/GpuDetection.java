package io.spate.gpu.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jcuda.CudaException;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;

/**
 * Whether this process can use a GPU, found once and remembered: the answer cannot change while
 * the process runs, and asking again is what must not happen (after a failed load of
 * {@code libcuda.so.1}, every later JCuda call throws {@link NoClassDefFoundError}).
 *
 * <p>A missing driver library shows up as a {@link LinkageError}, a driver without a device as
 * {@code CUDA_ERROR_NO_DEVICE} from {@code cuInit}; both mean "no GPU", logged once.
 */
public final class GpuDetection {

    private static final Logger LOG = LoggerFactory.getLogger(GpuDetection.class);

    /**
     * What the probe found.
     *
     * @param available whether a device answers
     * @param devices how many devices the driver reports
     * @param reason why not, when not available
     * @param deviceName the name of device 0, when available
     * @param standIn whether the driver is Spate's CUDA driver stand-in (kernels on the host CPU, not a GPU)
     */
    public record Probe(boolean available, int devices, String reason, String deviceName, boolean standIn) {
    }

    // A process-wide fact, computed once (see the class comment); no handles are kept here.
    private static Probe remembered;

    private GpuDetection() {
    }

    /** The remembered answer, probing the driver on the first call. */
    public static synchronized Probe probe() {
        if (remembered == null) {
            remembered = run();
            if (!remembered.available()) {
                LOG.info("no GPU: {}; the CPU backend runs instead", remembered.reason());
            } else if (remembered.standIn()) {
                LOG.warn("the CUDA driver is Spate's stand-in ({}): the GPU backend's kernels run on the host CPU; nothing measured "
                        + "here is a GPU figure", remembered.deviceName());
            } else {
                LOG.info("GPU driver answers with {} device(s), device 0: {}", remembered.devices(), remembered.deviceName());
            }
        }
        return remembered;
    }

    /** Forgets the answer, so that a test can watch the first probe (and its one log line) again. */
    static synchronized void forget() {
        remembered = null;
    }

    /** The line of a load failure that names the missing library (JCuda's message holds several attempts). */
    private static String essence(Throwable e) {
        String message = String.valueOf(e.getMessage());
        String first = message.lines().findFirst().orElse(message);
        return message.lines().filter(l -> l.contains("libcuda")).reduce((a, b) -> b).map(String::strip).orElse(first);
    }

    private static Probe run() {
        try {
            JCudaDriver.setExceptionsEnabled(true);
            JCudaDriver.cuInit(0);
            int[] count = new int[1];
            JCudaDriver.cuDeviceGetCount(count);
            if (count[0] == 0) {
                return new Probe(false, 0, "the CUDA driver reports no device", "", false);
            }
            CUdevice first = new CUdevice();
            JCudaDriver.cuDeviceGet(first, 0);
            String name = GpuDevice.deviceName(first);
            return new Probe(true, count[0], "", name, GpuDevice.isStandIn(name));
        } catch (LinkageError e) {
            return new Probe(false, 0, "the CUDA driver library cannot be loaded (" + e.getClass().getSimpleName() + ": " + essence(e) + ")", "", false);
        } catch (CudaException e) {
            return new Probe(false, 0, "cuInit failed: " + e.getMessage(), "", false);
        }
    }
}
