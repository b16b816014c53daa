import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the CUDA driver stand-in's kernel table from the kernel sources (kernels.cu and the files
 * beside it that it includes), so that every
 * {@code __global__} function of {@code kernels.cu} gets a launcher and none is written by hand:
 * the launcher itself is derived by the C++ compiler from the kernel's signature
 * ({@code spate_bind} in standin_launch.h).
 *
 * <p>Run by build-standin.sh with the JDK's single-file launcher:
 * {@code java GenerateKernelTable.java KERNELS_CU OUT_CPP}. Fails (exit 1) when a
 * {@code __global__} declaration is not of the form {@code extern "C" __global__ void name(...)},
 * since the driver finds kernels by their plain names.
 */
public final class GenerateKernelTable {

    private static final Pattern KERNEL = Pattern.compile("extern\\s+\"C\"\\s+__global__\\s+void\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");
    private static final Pattern GLOBAL = Pattern.compile("\\b__global__\\b");
    private static final Pattern INCLUDE = Pattern.compile("\\s*#\\s*include\\s+\"([^\"]+)\".*");

    private GenerateKernelTable() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java GenerateKernelTable.java KERNELS_CU OUT_CPP");
            System.exit(2);
        }
        Path source = Path.of(args[0]);
        String code = withoutCommentsAndLiterals(inlined(source, new ArrayList<>()));
        List<String> names = new ArrayList<>();
        List<Boolean> barriers = new ArrayList<>();
        Matcher m = KERNEL.matcher(code);
        while (m.find()) {
            names.add(m.group(1));
            barriers.add(body(code, m.end()).contains("__syncthreads"));
        }
        int declared = 0;
        Matcher g = GLOBAL.matcher(code);
        while (g.find()) {
            declared++;
        }
        if (declared != names.size()) {
            System.err.println("stand-in: " + source + " declares " + declared + " __global__ functions but only " + names.size()
                    + " as 'extern \"C\" __global__ void name(...)' (found " + names + "): every kernel must be extern \"C\" void");
            System.exit(1);
        }
        // A barrier in a device function may be reached from any kernel: then all of them run as fibers.
        // A barrier in a device function may be reached from any kernel: then all of them run as fibers.
        boolean helperBarrier = deviceFunctionsUseBarrier(code);
        StringBuilder out = new StringBuilder();
        out.append("// Generated from ").append(source.getFileName()).append(" by GenerateKernelTable.java: do not edit.\n");
        out.append("#include \"standin_launch.h\"\n#include \"cuda_host.h\"\n#include \"").append(source.toAbsolutePath().normalize()).append("\"\n\n");
        out.append("const SpateKernel spate_kernel_table[] = {\n");
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            out.append("    {\"").append(n).append("\", ").append(barriers.get(i) || helperBarrier).append(", spate_arity(&").append(n)
                    .append("), [](void** p) { return spate_bind(&").append(n).append(", p); }},\n");
        }
        out.append("};\n\nconst int spate_kernel_count = ").append(names.size()).append(";\n");
        Files.writeString(Path.of(args[1]), out.toString(), StandardCharsets.UTF_8);
    }

    /**
     * The text of {@code file} with each {@code #include "name"} of a file beside it replaced by that
     * file's text (once each), so that kernels split over several files are all listed.
     */
    private static String inlined(Path file, List<Path> seen) throws IOException {
        seen.add(file.toAbsolutePath().normalize());
        StringBuilder out = new StringBuilder();
        for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
            Matcher inc = INCLUDE.matcher(line);
            Path included = inc.matches() ? file.resolveSibling(inc.group(1)).toAbsolutePath().normalize() : null;
            if (included != null && Files.isRegularFile(included)) {
                if (!seen.contains(included)) {
                    out.append(inlined(included, seen));
                }
                continue;
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    /** Whether a {@code __device__} function's body calls {@code __syncthreads}. */
    private static boolean deviceFunctionsUseBarrier(String code) {
        Matcher d = Pattern.compile("__device__[^;{]*\\(").matcher(code);
        while (d.find()) {
            if (body(code, d.end()).contains("__syncthreads")) {
                return true;
            }
        }
        return false;
    }

    /** The text of the brace block that opens at or after {@code from}, or "" for a declaration without one. */
    private static String body(String code, int from) {
        int open = code.indexOf('{', from);
        int semicolon = code.indexOf(';', from);
        if (open < 0 || (semicolon >= 0 && semicolon < open)) {
            return "";
        }
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return code.substring(open, i + 1);
            }
        }
        return code.substring(open);
    }

    /**
     * The code with comments, string and character literals blanked (kept as spaces, so offsets
     * hold), except the {@code "C"} of {@code extern "C"}, so braces in literals do not count.
     */
    private static String withoutCommentsAndLiterals(String s) {
        StringBuilder b = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (s.startsWith("//", i)) {
                int end = s.indexOf('\n', i);
                end = end < 0 ? s.length() : end;
                b.append(" ".repeat(end - i));
                i = end;
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? s.length() : end + 2;
                b.append(s.substring(i, end).replaceAll("[^\\n]", " "));
                i = end;
            } else if (s.startsWith("\"C\"", i)) {
                b.append("\"C\"");
                i += 3;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != c) {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                j = Math.min(s.length(), j + 1);
                b.append(" ".repeat(j - i));
                i = j;
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }
}
