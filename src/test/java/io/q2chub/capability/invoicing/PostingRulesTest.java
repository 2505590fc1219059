package io.q2chub.capability.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.q2chub.connector.ErpPosting.RevenueType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The posting rules file: the shipped file is valid, every kind of mistake is named, a broken edit is refused. */
class PostingRulesTest {

    @TempDir
    Path dir;

    @Test
    void theShippedRulesAreValid() throws Exception {
        try (InputStream in = Files.newInputStream(Path.of("config/posting-rules.yaml"))) {
            PostingRuleSet rules = PostingRuleSet.parse("config/posting-rules.yaml", in);
            assertThat(rules.products().get("API-CALLS").revenueType()).isEqualTo(RevenueType.USAGE);
            assertThat(rules.legalEntities().get("US01").taxCode("us-ca", 725)).contains("11");
            assertThat(rules.legalEntities().get("JP01").dimensions().department()).isEqualTo("30");
        }
    }

    @Test
    void everyProblemIsNamedWithFileAndEntry() {
        String broken = """
                products:
                  PLAT-SUB: {revenueType: monthly}
                  API-CALLS: {revRecRule: "2"}
                  PRO-SVC: {revenueType: services, item: "503"}
                  BAD: just-a-string
                legalEntities:
                  US01:
                    department: {id: 10}
                    taxCodes:
                      - {jurisdiction: US-CA, rateBasisPoints: 7.25, taxCode: "11"}
                      - {jurisdiction: US-NY, rateBasisPoints: 400}
                      - {jurisdiction: US-NY, rateBasisPoints: 400, taxCode: "13"}
                      - {jurisdiction: us-ny, rateBasisPoints: 400, taxCode: "14"}
                  DE01:
                    taxCodes: "21"
                ledger: {}
                """;
        assertThatThrownBy(() -> parse(broken)).isInstanceOf(PostingRuleSet.Invalid.class)
                .satisfies(e -> assertThat(((PostingRuleSet.Invalid) e).problems).containsExactlyInAnyOrder(
                        "(top level): unknown key 'ledger' (known: legalEntities, products)",
                        "products.PLAT-SUB: revenueType 'monthly' is not one of recurring, usage, services",
                        "products.API-CALLS: revenueType is required (recurring | usage | services)",
                        "products.PRO-SVC: unknown key 'item' (known: revRecRule, revenueType)",
                        "products.BAD: must be a mapping",
                        "legalEntities.US01.department: must be an ERP id (text or whole number), got {\"id\":10}",
                        "legalEntities.US01.taxCodes[0]: rateBasisPoints must be a whole number >= 0 (825 = 8.25 %), got 7.25",
                        "legalEntities.US01.taxCodes[1]: taxCode is required",
                        "legalEntities.US01.taxCodes[3]: us-ny at 400 bp is listed twice",
                        "legalEntities.DE01.taxCodes: must be a list of {jurisdiction, rateBasisPoints, taxCode}"))
                .hasMessageStartingWith("posting rules test.yaml refused:");
    }

    @Test
    void aFileThatIsNotYamlIsRefused() {
        assertThatThrownBy(() -> parse("products: [unclosed")).isInstanceOf(PostingRuleSet.Invalid.class)
                .hasMessageContaining("not YAML");
        assertThatThrownBy(() -> parse("- a list")).isInstanceOf(PostingRuleSet.Invalid.class)
                .hasMessageContaining("must be a mapping");
    }

    @Test
    void aBrokenFileStopsTheStartButABrokenEditKeepsTheLastGoodRules() throws IOException {
        Path file = dir.resolve("posting-rules.yaml");
        Files.writeString(file, "products: {PLAT-SUB: {revenueType: monthly}}\n");
        PostingRules atStart = new PostingRules(file.toString());
        assertThatThrownBy(() -> atStart.validateAtStartup(null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("products.PLAT-SUB");

        Files.writeString(file, "products: {PLAT-SUB: {revenueType: recurring}}\n");
        PostingRules rules = new PostingRules(file.toString());
        rules.validateAtStartup(null);
        assertThat(rules.current().products()).containsOnlyKeys("PLAT-SUB");

        Files.writeString(file, "products: {PLAT-SUB: {revenueType: recurring}, NEW: {revenueType: usage}}\n");
        assertThat(rules.current().products()).containsOnlyKeys("PLAT-SUB", "NEW");

        Files.writeString(file, "products: {PLAT-SUB: {revenueType: recurring}, NEW: {revenueType: hourly}}\n");
        assertThat(rules.current().products()).containsOnlyKeys("PLAT-SUB", "NEW");
        assertThat(rules.current().products().get("NEW").revenueType()).isEqualTo(RevenueType.USAGE);
    }

    @Test
    void theTermOfARecurringLineIsTheMonthsItsServicePeriodCovers() {
        assertThat(PostingEnrichment.termInMonths(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31))).isEqualTo(12);
        assertThat(PostingEnrichment.termInMonths(LocalDate.of(2026, 1, 15), LocalDate.of(2026, 2, 14))).isEqualTo(1);
        assertThat(PostingEnrichment.termInMonths(LocalDate.of(2026, 1, 15), LocalDate.of(2026, 2, 20))).isEqualTo(2);
        assertThat(PostingEnrichment.termInMonths(LocalDate.of(2026, 1, 1), null)).isNull();
    }

    private static PostingRuleSet parse(String yaml) throws PostingRuleSet.Invalid {
        return PostingRuleSet.parse("test.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }
}
