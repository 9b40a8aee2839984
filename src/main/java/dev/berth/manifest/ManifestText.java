package dev.berth.manifest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns a manifest file's bytes into text, or into a {@link Problem} that says why it cannot be
 * a manifest: too large, binary (a NUL byte), not UTF-8 (with the line of the first bad byte),
 * or empty. An empty file is a problem rather than "declares nothing": a truncated write would
 * otherwise remove every service the file declared; deleting the file is how to remove them.
 */
public final class ManifestText {
    private ManifestText() {}

    /** Reads at most {@link ManifestLimits#MAX_FILE_BYTES} (plus one, to tell a larger file). */
    public static String read(String file, Path path) throws ManifestException, IOException {
        FileLooks.note(path);
        long size = Files.size(path);
        if (size > ManifestLimits.MAX_FILE_BYTES) {
            throw tooLarge(file, size);
        }
        byte[] bytes;
        try (var in = Files.newInputStream(path)) {
            bytes = in.readNBytes(ManifestLimits.MAX_FILE_BYTES + 1);
        }
        return decode(file, bytes);
    }

    public static String decode(String file, byte[] bytes) throws ManifestException {
        if (bytes.length > ManifestLimits.MAX_FILE_BYTES) {
            throw tooLarge(file, bytes.length);
        }
        if (bytes.length >= 2 && ((bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE)
                || (bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF))) {
            throw new ManifestException(new Problem(file, 1, "", "UTF-16 text (it starts with a UTF-16 byte order mark); "
                    + "save the file as UTF-8"));
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new ManifestException(new Problem(file, lineAt(bytes, i), "",
                        "a NUL byte: this looks like a binary file, not YAML text"));
            }
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        String text;
        try {
            text = utf8.decode(in).toString();
        } catch (CharacterCodingException e) {
            // decode() leaves the buffer at the start of the bad sequence.
            int at = firstBadByte(bytes);
            throw new ManifestException(new Problem(file, lineAt(bytes, at), "", String.format(
                    "not valid UTF-8 (byte 0x%02X at offset %d); save the file as UTF-8", bytes[at] & 0xff, at)));
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // a byte order mark, as some editors write
        }
        if (text.isBlank()) {
            throw new ManifestException(new Problem(file, 0, "", "the file is empty; what it declared keeps running "
                    + "(delete the file to remove it)"));
        }
        return text;
    }

    private static ManifestException tooLarge(String file, long size) {
        return new ManifestException(new Problem(file, 0, "", "the file is " + size
                + " bytes; a manifest file may be at most " + ManifestLimits.MAX_FILE_BYTES + " bytes (1 MiB)"));
    }

    private static int firstBadByte(byte[] bytes) {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        var result = utf8.decode(in, out, true);
        return result.isError() ? in.position() : 0;
    }

    private static int lineAt(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }
}
