package dev.editflow.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.Map;

/** Checks before anything starts that every port the stack will listen on is free. */
final class Ports {

  private record Wanted(String part, String variable) {}

  private final Map<Integer, Wanted> wanted = new LinkedHashMap<>();

  /**
   * @param part what will listen there, e.g. "api-gateway"
   * @param variable the setting that moves it, e.g. "EDITFLOW_GATEWAY_PORT"
   */
  Ports want(int port, String part, String variable) {
    Wanted earlier = wanted.putIfAbsent(port, new Wanted(part, variable));
    if (earlier != null) {
      throw new StartRefused(
          "port %d is given to both %s (%s) and %s (%s)"
              .formatted(port, earlier.part(), earlier.variable(), part, variable));
    }
    return this;
  }

  /**
   * @throws StartRefused naming the first port in use, what wanted it and how to move it
   */
  void checkFree() {
    wanted.forEach(
        (port, want) -> {
          if (inUse(port)) {
            throw new StartRefused(
                "port %d (%s) is in use by another program; stop it or set %s to a free port"
                    .formatted(port, want.part(), want.variable()));
          }
        });
  }

  private static boolean inUse(int port) {
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress("127.0.0.1", port), 300);
      return true;
    } catch (IOException nobodyListens) {
      // Nothing answers on loopback; something may still hold the port on another address.
    }
    try (ServerSocket bind = new ServerSocket()) {
      bind.bind(new InetSocketAddress(port));
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
