package io.github.xnatreactive.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** Last-Modified values must be IMF-fixdate; FilesTest checks the header over HTTP, but only on today's date. */
class HttpDateTest {
    @Test
    void singleDigitDaysArePaddedAndTheValueRoundTrips() {
        long millis = ZonedDateTime.parse("2026-11-05T07:08:09Z").toInstant().toEpochMilli();
        String s = Router.httpDate(millis);
        assertThat(s).isEqualTo("Thu, 05 Nov 2026 07:08:09 GMT");
        assertThat(ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant()
                        .toEpochMilli())
                .isEqualTo(millis);
    }
}
