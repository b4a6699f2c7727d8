package dev.editflow.safehttp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which resolved addresses may be connected to; literals only, nothing is looked up. */
class InternetAddressesTests {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "127.255.255.254",
        "0.0.0.0",
        "0.1.2.3",
        "10.1.2.3",
        "100.64.0.1",
        "100.127.255.255",
        "169.254.169.254",
        "169.254.1.1",
        "172.16.0.1",
        "172.31.255.255",
        "192.0.0.8",
        "192.0.2.1",
        "192.88.99.1",
        "192.168.1.1",
        "198.18.0.1",
        "198.51.100.7",
        "203.0.113.9",
        "168.63.129.16",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "::",
        "::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "::127.0.0.1",
        "::a00:1",
        "64:ff9b::a00:1",
        "64:ff9b::7f00:1",
        "64:ff9b:1::1",
        "2002:a00:1::1",
        "2002:7f00:1::1",
        "2002:a9fe:a9fe::1",
        "100::1",
        "2001::1",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",
        "2001:db8::1",
        "3fff::1",
        "fd00:ec2::254",
        "fc00::1",
        "fdff:ffff::1",
        "fe80::1",
        "febf::1",
        "fec0::1",
        "ff02::1",
      })
  void refusesNonPublicAddresses(String literal) throws UnknownHostException {
    assertThat(InternetAddresses.blockReason(InetAddress.getByName(literal), false))
        .as(literal)
        .isPresent();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "8.8.8.8",
        "1.1.1.1",
        "151.101.1.1",
        "172.15.255.255",
        "172.32.0.1",
        "100.63.255.255",
        "100.128.0.1",
        "169.253.255.255",
        "192.169.0.1",
        "223.255.255.255",
        "2606:4700::1111",
        "2a00:1450:4001::1",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "2002:808:808::1",
        "2001:4860:4860::8888",
      })
  void acceptsPublicAddresses(String literal) throws UnknownHostException {
    assertThat(InternetAddresses.blockReason(InetAddress.getByName(literal), false))
        .as(literal)
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1"})
  void acceptsLoopbackOnlyWhenAllowed(String literal) throws UnknownHostException {
    assertThat(InternetAddresses.blockReason(InetAddress.getByName(literal), true))
        .as(literal)
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.1",
        "169.254.169.254",
        "fd00:ec2::254",
        "::ffff:192.168.0.1",
        "0.0.0.0",
        "::"
      })
  void keepsRefusingEverythingElseWhenLoopbackIsAllowed(String literal)
      throws UnknownHostException {
    assertThat(InternetAddresses.blockReason(InetAddress.getByName(literal), true))
        .as(literal)
        .isPresent();
  }

  @org.junit.jupiter.api.Test
  void namesTheMetadataAddress() throws UnknownHostException {
    assertThat(InternetAddresses.blockReason(InetAddress.getByName("169.254.169.254"), true))
        .hasValue("the cloud metadata address");
    assertThat(InternetAddresses.blockReason(InetAddress.getByName("fd00:ec2::254"), true))
        .hasValue("the cloud metadata address");
  }

  @org.junit.jupiter.api.Test
  void allowsPrivateNetworksOnlyWhenAskedAndNeverMetadata() throws UnknownHostException {
    InetAddress containerNetwork = InetAddress.getByName("172.18.0.5");

    assertThat(InternetAddresses.blockReason(containerNetwork, false)).isPresent();
    assertThat(InternetAddresses.blockReason(containerNetwork, false, true)).isEmpty();
    assertThat(InternetAddresses.blockReason(InetAddress.getByName("169.254.169.254"), false, true))
        .hasValue("the cloud metadata address");
    assertThat(InternetAddresses.blockReason(InetAddress.getByName("127.0.0.1"), false, true))
        .isPresent();
  }
}
