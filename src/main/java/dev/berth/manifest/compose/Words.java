package dev.berth.manifest.compose;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command given as one string into words the way Compose does (POSIX shell quoting
 * without expansion): blanks separate words, single quotes keep everything, double quotes keep
 * everything but backslash escapes of {@code " \ $ `}, a backslash outside quotes escapes the
 * next character.
 */
final class Words {
    private Words() {}

    /** @throws IllegalArgumentException on an unclosed quote */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed ' in the command");
                }
                w.append(s, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '"') {
                int j = i + 1;
                for (; j < s.length() && s.charAt(j) != '"'; j++) {
                    if (s.charAt(j) == '\\' && j + 1 < s.length() && "\"\\$`".indexOf(s.charAt(j + 1)) >= 0) {
                        j++;
                    }
                    w.append(s.charAt(j));
                }
                if (j >= s.length()) {
                    throw new IllegalArgumentException("unclosed \" in the command");
                }
                i = j;
                inWord = true;
            } else if (c == '\\' && i + 1 < s.length()) {
                w.append(s.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(w.toString());
        }
        return out;
    }
}
