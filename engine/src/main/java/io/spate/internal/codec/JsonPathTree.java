package io.spate.internal.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.spate.plan.Field;
import io.spate.plan.JsonFormat;

/**
 * The wanted JSON paths as a tree of object keys, so that one walk of a record visits only the
 * subtrees some field lies in and skips the rest.
 */
final class JsonPathTree {

    /** One object key on the way to some fields. */
    static final class Node {
        final String name;
        /**
         * The name as UTF-8, for matching keys as bytes; null when the name has an unpaired
         * surrogate, which only an escaped key can spell (and escaped keys are left to Jackson).
         */
        final byte[] utf8;
        /** The decoded column whose value sits at this node, or -1 when it only leads deeper. */
        int column = -1;
        Node[] children = new Node[0];

        Node(String name) {
            this.name = name;
            this.utf8 = StandardCharsets.UTF_8.newEncoder().canEncode(name) ? name.getBytes(StandardCharsets.UTF_8) : null;
        }

        /** The child named {@code key}, or null; a linear scan, as objects name few wanted keys. */
        Node child(String key) {
            for (Node c : children) {
                if (c.name.equals(key)) {
                    return c;
                }
            }
            return null;
        }

        /**
         * The child whose name is the UTF-8 bytes {@code d[from, to)}, or null. Valid UTF-8 decodes
         * one way only, so equal bytes mean the same key as {@link #child(String)} would match.
         */
        Node child(byte[] d, int from, int to) {
            int length = to - from;
            for (Node c : children) {
                byte[] name = c.utf8;
                if (name != null && name.length == length && spells(name, d, from)) {
                    return c;
                }
            }
            return null;
        }

        /** Whether {@code d} holds {@code name} at {@code from}; a plain loop, as names are short. */
        private static boolean spells(byte[] name, byte[] d, int from) {
            for (int i = 0; i < name.length; i++) {
                if (name[i] != d[from + i]) {
                    return false;
                }
            }
            return true;
        }

        boolean hasChildren() {
            return children.length > 0;
        }

        private Node childOrAdd(String key) {
            Node c = child(key);
            if (c == null) {
                List<Node> grown = new ArrayList<>(List.of(children));
                c = new Node(key);
                grown.add(c);
                children = grown.toArray(new Node[0]);
            }
            return c;
        }
    }

    private JsonPathTree() {
    }

    /** The root of the tree of {@code fields}; column {@code i} is {@code fields.get(i)}. */
    static Node build(List<Field> fields) {
        Node root = new Node("");
        for (int col = 0; col < fields.size(); col++) {
            Node n = root;
            for (String segment : JsonFormat.path(fields.get(col).name())) {
                n = n.childOrAdd(segment);
            }
            n.column = col;
        }
        return root;
    }
}
