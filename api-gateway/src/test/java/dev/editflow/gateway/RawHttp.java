package dev.editflow.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP/1.1 over a plain socket, for what a well-behaved client cannot send: paths Tomcat refuses,
 * and bodies that are announced but never finished.
 */
final class RawHttp {

  private static final Charset ISO = StandardCharsets.ISO_8859_1;

  record Answer(int status, Map<String, List<String>> headers, String body) {

    String header(String name) {
      List<String> values = headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
      return values.isEmpty() ? "" : values.getFirst();
    }

    JsonNode json() {
      return JsonMapper.builder().build().readTree(body);
    }

    @Override
    public String toString() {
      return status + " " + headers + " " + body;
    }
  }

  private RawHttp() {}

  /** Sends {@code head} (request line and headers, without the blank line) and no body. */
  static Answer send(int port, String head) {
    return send(port, head, out -> {});
  }

  /** Sends {@code head}, then whatever {@code body} writes, then reads the answer. */
  static Answer send(int port, String head, Consumer<OutputStream> body) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      // Long enough for any answer; a server waiting for the rest of a body never answers.
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write((head + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(ISO));
      try {
        body.accept(out);
        out.flush();
      } catch (UncheckedIOException | IOException stoppedReading) {
        // The server answered without reading the whole body, which may be the point of the test.
      }
      return parse(readAnswer(socket.getInputStream()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One chunk of a chunked body. */
  static void chunk(OutputStream out, byte[] data) {
    try {
      out.write((Integer.toHexString(data.length) + "\r\n").getBytes(ISO));
      out.write(data);
      out.write("\r\n".getBytes(ISO));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads one answer: its head, then its Content-Length or its chunks, or up to the close. */
  private static byte[] readAnswer(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; !complete(all.toString(ISO)) && (n = in.read(buffer)) >= 0; ) {
        all.write(buffer, 0, n);
      }
    } catch (SocketException resetAfterAnswer) {
      // The server may reset a connection whose body it refused to read; the answer came first.
      if (all.size() == 0) {
        throw resetAfterAnswer;
      }
    }
    return all.toByteArray();
  }

  private static boolean complete(String received) {
    int end = received.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    String head = received.substring(0, end).toLowerCase(Locale.ROOT);
    String body = received.substring(end + 4);
    if (head.contains("\r\ntransfer-encoding: chunked")) {
      return body.endsWith("0\r\n\r\n");
    }
    int at = head.indexOf("\r\ncontent-length:");
    if (at < 0) {
      return false;
    }
    int lineEnd = head.indexOf("\r\n", at + 2);
    String length = head.substring(at + 17, lineEnd < 0 ? head.length() : lineEnd).strip();
    return body.getBytes(ISO).length >= Integer.parseInt(length);
  }

  private static Answer parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new IllegalStateException("No HTTP answer: " + text);
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers
          .computeIfAbsent(
              lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(lines[i].substring(colon + 1).strip());
    }
    String body = text.substring(end + 4);
    if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
      body = dechunk(body);
    }
    return new Answer(status, headers, body);
  }

  private static String dechunk(String chunked) {
    StringBuilder body = new StringBuilder();
    int at = 0;
    while (true) {
      int lineEnd = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, lineEnd).strip(), 16);
      if (size == 0) {
        return body.toString();
      }
      body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
  }
}
