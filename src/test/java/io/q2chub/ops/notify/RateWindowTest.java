package io.q2chub.ops.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateWindowTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void admitsTheLimitPerWindowAndHandsBackWhatWasHeldBackOnce() {
        RateWindow window = new RateWindow(3, Duration.ofMinutes(1), T0);
        int admitted = 0;
        for (int i = 0; i < 10; i++) {
            admitted += window.admit() ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(3);
        assertThat(window.roll(T0.plusSeconds(59))).as("window still running").isZero();

        assertThat(window.roll(T0.plusSeconds(60))).isEqualTo(7);
        assertThat(window.roll(T0.plusSeconds(61))).as("handed back once").isZero();
        assertThat(window.admit()).isTrue();
    }

    @Test
    void aSummaryTakesASlotOfTheNewWindow() {
        RateWindow window = new RateWindow(2, Duration.ofSeconds(10), T0);
        window.admit();
        window.admit();
        window.admit();
        assertThat(window.roll(T0.plusSeconds(10))).isEqualTo(1);
        window.spend();
        assertThat(window.admit()).isTrue();
        assertThat(window.admit()).isFalse();
    }

    @Test
    void aWindowThatAdmitsNothingIsRefused() {
        assertThatThrownBy(() -> new RateWindow(0, Duration.ofMinutes(1), T0)).hasMessageContaining("rate limit");
    }
}
