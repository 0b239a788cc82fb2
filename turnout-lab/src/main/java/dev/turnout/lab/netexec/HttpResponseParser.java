package dev.turnout.lab.netexec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Parses a complete HTTP/1.x response read until the server closed the connection. */
final class HttpResponseParser {

    private HttpResponseParser() {
    }

    static DialResult parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return DialResult.failure("incomplete HTTP response (" + raw.length + " bytes)");
        }
        String[] lines = text.substring(0, headEnd).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
            return DialResult.failure("malformed status line: " + lines[0]);
        }
        int status = Integer.parseInt(statusLine[1]);
        boolean chunked = false;
        int contentLength = -1;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            } else if (name.equals("content-length")) {
                contentLength = Integer.parseInt(value);
            }
        }
        int bodyStart = headEnd + 4;
        byte[] body;
        if (chunked) {
            body = dechunk(raw, bodyStart);
        } else {
            int end = contentLength >= 0 ? Math.min(raw.length, bodyStart + contentLength) : raw.length;
            body = java.util.Arrays.copyOfRange(raw, bodyStart, end);
        }
        return DialResult.response(status, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] raw, int pos) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (pos < raw.length) {
            int lineEnd = indexOfCrlf(raw, pos);
            if (lineEnd < 0) {
                break;
            }
            String sizeText = new String(raw, pos, lineEnd - pos, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int size = Integer.parseInt(sizeText, 16);
            if (size == 0) {
                break;
            }
            int start = lineEnd + 2;
            out.write(raw, start, Math.min(size, raw.length - start));
            pos = start + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOfCrlf(byte[] raw, int from) {
        for (int i = from; i + 1 < raw.length; i++) {
            if (raw[i] == '\r' && raw[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
