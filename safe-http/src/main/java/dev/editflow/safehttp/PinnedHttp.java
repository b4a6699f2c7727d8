package dev.editflow.safehttp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * A minimal HTTP/1.1 client for URLs we do not control: it resolves the host once, checks every
 * address against the {@link OutboundPolicy}, connects a socket to a checked address (trying the
 * next checked one if a connect fails) and makes one exchange on it. Redirects are never followed:
 * a 3xx is just the answer, and a caller that follows one checks the new URL like any other.
 *
 * <p>Why not {@code java.net.http}: it resolves the host name itself when it connects, so the
 * address we checked and the one it connects to can differ (DNS rebinding), and it offers no way to
 * pin one. Rewriting the URL to the IP breaks TLS (hostname verification and SNI use the URL host)
 * and {@code Host} is a restricted header. Here we connect the socket to the checked address
 * ourselves and layer TLS on top with the real host name for SNI and certificate verification, so
 * what we checked is exactly what we talk to. The protocol subset is small: one GET or POST with
 * {@code Connection: close}, status line and headers with size limits, and a body framed by {@code
 * Content-Length}, chunked encoding or the end of the connection.
 */
public final class PinnedHttp {

  private static final int MAX_LINE = 8 * 1024;
  private static final int MAX_HEADERS = 100;

  private final OutboundPolicy policy;
  private final HostResolver resolver;
  private final @Nullable SSLContext tls;
  private final Duration connectTimeout;
  private final Duration readTimeout;

  /**
   * @param tls the TLS context for https, {@literal null} for the JVM's default trust
   * @param readTimeout the longest wait for any single read
   */
  public PinnedHttp(
      OutboundPolicy policy,
      HostResolver resolver,
      @Nullable SSLContext tls,
      Duration connectTimeout,
      Duration readTimeout) {
    this.policy = policy;
    this.resolver = resolver;
    this.tls = tls;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
  }

  /** The policy every URL and address is checked against. */
  public OutboundPolicy policy() {
    return policy;
  }

  /** A response whose body is still to be read; closing it closes the connection. */
  public record Response(int status, Map<String, String> headers, InputStream body, Socket socket)
      implements AutoCloseable {

    /** A header's value (several values joined by ", "), or null. */
    public @Nullable String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a connection we are done with; nothing to recover
      }
    }
  }

  /**
   * One GET of a checked URL.
   *
   * @throws UrlNotAllowed if the host resolves to an address the policy refuses
   * @throws IOException if the host does not resolve, cannot be reached or answers garbage
   */
  public Response get(OutboundPolicy.CheckedUrl url, Map<String, String> headers)
      throws IOException {
    return exchange(url, "GET", headers, null);
  }

  /**
   * One POST of {@code body} to a checked URL; {@code headers} must not contain CR or LF.
   *
   * @throws UrlNotAllowed if the host resolves to an address the policy refuses
   * @throws IOException if the host does not resolve, cannot be reached or answers garbage
   */
  public Response post(OutboundPolicy.CheckedUrl url, Map<String, String> headers, byte[] body)
      throws IOException {
    return exchange(url, "POST", headers, body);
  }

  private Response exchange(
      OutboundPolicy.CheckedUrl url,
      String method,
      Map<String, String> headers,
      byte @Nullable [] body)
      throws IOException {
    InetAddress[] addresses = policy.addressesOf(url, resolver);
    IOException last = null;
    // Each address was checked above; trying the next one on a connect failure keeps the pin.
    for (InetAddress address : addresses) {
      Socket socket = new Socket();
      try {
        socket.connect(new InetSocketAddress(address, url.port()), (int) connectTimeout.toMillis());
      } catch (IOException e) {
        socket.close();
        last = e;
        continue;
      }
      return exchange(socket, url, method, headers, body);
    }
    throw new IOException("cannot reach " + url.host() + ": " + last, last);
  }

  private Response exchange(
      Socket connected,
      OutboundPolicy.CheckedUrl url,
      String method,
      Map<String, String> headers,
      byte @Nullable [] body)
      throws IOException {
    Socket socket = connected;
    try {
      socket.setSoTimeout((int) readTimeout.toMillis());
      if (url.tls()) {
        socket = startTls(socket, url, tls == null ? defaultTls() : tls);
      }
      OutputStream out = socket.getOutputStream();
      out.write(requestHead(method, url, headers, body).getBytes(StandardCharsets.US_ASCII));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      int status;
      Map<String, String> responseHeaders;
      do {
        status = statusOf(readLine(in));
        responseHeaders = readHeaders(in);
      } while (status >= 100 && status < 200);
      return new Response(status, responseHeaders, body(in, status, responseHeaders), socket);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static SSLContext defaultTls() throws IOException {
    try {
      return SSLContext.getDefault();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IOException("No default TLS context", e);
    }
  }

  private static Socket startTls(Socket plain, OutboundPolicy.CheckedUrl url, SSLContext tls)
      throws IOException {
    String host = url.host();
    SSLSocket socket =
        (SSLSocket) tls.getSocketFactory().createSocket(plain, host, url.port(), true);
    SSLParameters parameters = socket.getSSLParameters();
    // Verify the certificate against the URL's host, not the address we connected to.
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    if (!OutboundPolicy.isIpLiteral(host)) {
      parameters.setServerNames(List.of(new SNIHostName(host)));
    }
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    return socket;
  }

  private static String requestHead(
      String method,
      OutboundPolicy.CheckedUrl url,
      Map<String, String> headers,
      byte @Nullable [] body) {
    String path = url.uri().getRawPath();
    if (path == null || path.isEmpty()) {
      path = "/";
    }
    String query = url.uri().getRawQuery();
    String target = query == null ? path : path + "?" + query;
    if (target.chars().anyMatch(c -> c <= 0x20 || c >= 0x7F)) {
      throw new UrlNotAllowed("the URL path has characters that cannot go on the wire");
    }
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(url.hostHeader()).append("\r\n");
    headers.forEach(
        (name, value) -> {
          if ((name + value).chars().anyMatch(c -> c == '\r' || c == '\n')) {
            throw new IllegalArgumentException("Header " + name + " has a line break");
          }
          head.append(name).append(": ").append(value).append("\r\n");
        });
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    return head.toString();
  }

  private static int statusOf(String statusLine) throws IOException {
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[0-9]{3}")) {
      throw new IOException("Not an HTTP/1.x status line: " + abbreviate(statusLine));
    }
    return Integer.parseInt(parts[1]);
  }

  private static Map<String, String> readHeaders(InputStream in) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; ; i++) {
      String line = readLine(in);
      if (line.isEmpty()) {
        return headers;
      }
      if (i >= MAX_HEADERS) {
        throw new IOException("More than " + MAX_HEADERS + " response headers");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException("Malformed response header: " + abbreviate(line));
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      headers.merge(name, value, (first, more) -> first + ", " + more);
    }
  }

  private static InputStream body(InputStream in, int status, Map<String, String> headers)
      throws IOException {
    if (status == 204 || status == 304) {
      return InputStream.nullInputStream();
    }
    String transferEncoding = headers.get("transfer-encoding");
    if (transferEncoding != null) {
      if (!transferEncoding.toLowerCase(Locale.ROOT).endsWith("chunked")) {
        throw new IOException("Unsupported transfer encoding " + transferEncoding);
      }
      return new ChunkedInputStream(in);
    }
    String contentLength = headers.get("content-length");
    if (contentLength != null) {
      if (!contentLength.matches("[0-9]{1,18}")) {
        throw new IOException("Bad Content-Length " + abbreviate(contentLength));
      }
      return new FixedLengthInputStream(in, Long.parseLong(contentLength));
    }
    return in;
  }

  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    while (true) {
      int b = in.read();
      if (b == -1) {
        throw new EOFException("Connection closed in the middle of the response head");
      }
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int length =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
      }
      if (line.size() >= MAX_LINE) {
        throw new IOException("Response line longer than " + MAX_LINE + " bytes");
      }
      line.write(b);
    }
  }

  private static String abbreviate(String value) {
    return value.length() > 80 ? value.substring(0, 80) + "…" : value;
  }

  /** A body of a known length; ending early is an error, not the end of the image. */
  private static final class FixedLengthInputStream extends FilterInputStream {

    private long remaining;

    FixedLengthInputStream(InputStream in, long length) {
      super(in);
      this.remaining = length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining == 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n == -1) {
        throw new EOFException("Connection closed with " + remaining + " body bytes missing");
      }
      remaining -= n;
      return n;
    }
  }

  /** Decodes {@code Transfer-Encoding: chunked}; a missing last chunk is an error. */
  private static final class ChunkedInputStream extends FilterInputStream {

    private long chunkRemaining;
    private boolean done;

    ChunkedInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (chunkRemaining == 0) {
        String sizeLine = readLine(in);
        String size = sizeLine.split(";", 2)[0].trim();
        if (!size.matches("[0-9a-fA-F]{1,15}")) {
          throw new IOException("Bad chunk size " + abbreviate(sizeLine));
        }
        chunkRemaining = Long.parseLong(size, 16);
        if (chunkRemaining == 0) {
          while (!readLine(in).isEmpty()) {
            // trailers carry nothing we use
          }
          done = true;
          return -1;
        }
      }
      int n = in.read(b, off, (int) Math.min(len, chunkRemaining));
      if (n == -1) {
        throw new EOFException("Connection closed in the middle of a chunk");
      }
      chunkRemaining -= n;
      if (chunkRemaining == 0 && !readLine(in).isEmpty()) {
        throw new IOException("Chunk not followed by CRLF");
      }
      return n;
    }
  }
}
