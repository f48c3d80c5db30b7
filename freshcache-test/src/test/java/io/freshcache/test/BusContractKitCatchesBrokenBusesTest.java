package io.freshcache.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** The bus kit can fail: run over a deliberately broken bus, the test of that promise fails. */
class BusContractKitCatchesBrokenBusesTest {

  private static TestExecutionSummary run(Class<?> kit, String test) {
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request().selectors(selectMethod(kit, test)).build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    launcher.execute(request, listener);
    return listener.getSummary();
  }

  @Test
  void aBusThatSwapsMessagesFailsThePublishOrderTest() {
    TestExecutionSummary summary =
        run(ReorderingBusContract.class, "messagesFromOnePublisherArriveInPublishOrder");

    assertThat(summary.getTestsFoundCount()).isEqualTo(1);
    assertThat(summary.getTestsFailedCount()).isEqualTo(1);
    assertThat(summary.getFailures().get(0).getException())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("kit:")
        .hasMessageContaining("ordered-1");
  }
}
