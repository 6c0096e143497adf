package io.tillstream.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostileRecordsTest {
  private static final List<String> SECRETS = List.of("ann.21549832@example.org", "31612345678");

  @Test
  void aSecretIsFoundAsItIsOrAsItsDigitsGroupedAnyWay() {
    assertEquals(List.of("ann.21549832@example.org"), HostileRecords.leaks("to: ANN.21549832@Example.org", SECRETS));
    assertEquals(List.of("31612345678"), HostileRecords.leaks("tel +31 (6) 1234-5678.", SECRETS));
    assertEquals(List.of("ann.21549832@example.org"), HostileRecords.leaks("id 2154 9832;", SECRETS));
  }

  @Test
  void digitsInsideALongerNumberAreNotALeak() {
    assertEquals(List.of(), HostileRecords.leaks("\"modificationTime\":1796215498320", SECRETS));
  }
}
