package dev.cohort.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BudgetSpecTest {
    @Test
    void wattsAndPercentsAsOperatorsWriteThem() {
        assertEquals(120, BudgetSpec.parse("120W").watts(999));
        assertEquals(120.5, BudgetSpec.parse(" 120.5 W ").watts(999));
        assertEquals(90, BudgetSpec.parse("90").watts(999));
        assertEquals(80, BudgetSpec.parse("80%").watts(100));
        assertEquals("80%", BudgetSpec.parse("80%").toString());
        assertEquals("120W", BudgetSpec.parse("120w").toString());
    }

    @Test
    void badBudgetsSayWhatIsAllowed() {
        for (String bad : new String[]{"lots", "", "-5W", "0", "0%", "150%", "NaN", "12 kW"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> BudgetSpec.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("power budget '"), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BudgetSpec.parse("lots")).getMessage()
                .contains("e.g. 120W"));
    }

    @Test
    void balancersByName() {
        assertEquals(BalancerKind.RAPL, BalancerKind.parse("RAPL"));
        assertEquals(BalancerKind.PI, BalancerKind.parse("pi"));
        assertEquals(BalancerKind.MPC, BalancerKind.parse(" mpc"));
        assertEquals("unknown balancer 'pid' (choose mpc, pi, rapl, governor)",
                assertThrows(IllegalArgumentException.class, () -> BalancerKind.parse("pid")).getMessage());
    }
}
