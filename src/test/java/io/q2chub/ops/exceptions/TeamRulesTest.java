package io.q2chub.ops.exceptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.q2chub.ops.exceptions.TeamRules.Facts;
import org.junit.jupiter.api.Test;

class TeamRulesTest {

    static final String RULES = " class=BUSINESS,capability=customer-*->master-data; system=netsuite -> erp-finance ;"
            + "code=MAPPING_*->finance-ops;";

    @Test
    void firstMatchingRuleWinsAndTheDefaultTakesTheRest() {
        TeamRules rules = TeamRules.parse(RULES, "integration-ops");

        assertThat(rules.teamFor(new Facts("BUSINESS", "customer-onboarding", "netsuite", "USER_ERROR"))).isEqualTo("master-data");
        assertThat(rules.teamFor(new Facts("TRANSIENT", "customer-onboarding", "netsuite", "IO"))).isEqualTo("erp-finance");
        assertThat(rules.teamFor(new Facts("business", "invoice-posting", "stripe", "mapping_missing"))).isEqualTo("finance-ops");
        assertThat(rules.teamFor(new Facts("POISON", "transaction-ledger", "hub", "SCHEMA_INVALID"))).isEqualTo("integration-ops");
        assertThat(rules.teamFor(new Facts("BUSINESS", "xcustomer-onboarding", "hub", "X"))).isEqualTo("integration-ops");
    }

    @Test
    void noRulesMeansTheDefaultTeam() {
        assertThat(TeamRules.parse("", "ops").teamFor(new Facts("BUSINESS", "a", "b", "c"))).isEqualTo("ops");
        assertThat(TeamRules.parse("->everyone", "ops").teamFor(new Facts("BUSINESS", "a", "b", "c"))).isEqualTo("everyone");
    }

    @Test
    void mistakesStopStartUpNamingEveryBadRule() {
        assertThatThrownBy(() -> TeamRules.parse("class=BUSINESS master-data; colour=red->x; system->y; code=A,code=B->z; system=a->bad team", "ops"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("q2c.exceptions.team.rules")
                .hasMessageContaining("rule 1 'class=BUSINESS master-data': expected criteria->team")
                .hasMessageContaining("unknown criterion 'colour'")
                .hasMessageContaining("'system' is not criterion=pattern")
                .hasMessageContaining("criterion 'code' given twice")
                .hasMessageContaining("'bad team' is not a team name");
        assertThatThrownBy(() -> TeamRules.parse("", " ")).hasMessageContaining("q2c.exceptions.team.default");
    }
}
