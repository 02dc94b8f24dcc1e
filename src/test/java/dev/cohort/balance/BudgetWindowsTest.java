package dev.cohort.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The budget's figures from windows of ticks, as MaRCA defines μ and ν. */
class BudgetWindowsTest {
    @Test
    void windowsOfTicksGiveMuNuAndTheShareOver() {
        BudgetWindows w = new BudgetWindows(100, 1.0);
        // window 1: 90 W, not binding; window 2: 110 W, binding; window 3: 100 W exactly, binding; a partial window
        double[] watts = {90, 110, 100};
        boolean[] bind = {false, true, true};
        for (int k = 0; k < 3; k++) {
            for (int t = 0; t < 10; t++) {
                double closed = w.add(watts[k] * 0.1, 0.1, bind[k] && t == 3, 2.0);
                assertEquals(t == 9, !Double.isNaN(closed), "a window closes on its 10th tick");
                if (t == 9) {
                    assertEquals(watts[k], closed, 1e-9);
                }
            }
        }
        w.add(500 * 0.1, 0.1, true, 2.0);
        BudgetFigures f = w.figures("pi");
        assertEquals(3, f.windows(), "the partial window is left out");
        assertEquals(1.0 / 3, f.overBudgetShare(), 1e-12, "only 110 W is over; 100 W is not");
        assertEquals((0.9 + 1 + 1) / 3, f.budgetUseAll(), 1e-12);
        assertEquals(1.0, f.budgetUse(), 1e-12, "where it binds, min(P, B)/B");
        assertEquals(0.1 / 3, f.overBudgetUse(), 1e-12);
        assertEquals(2.0 / 3, f.bindingShare(), 1e-12);
        assertEquals(2.0, f.meanLambda(), 1e-12);
    }

    @Test
    void aBudgetThatNeverBindsHasNoUseWhereItBinds() {
        BudgetWindows w = new BudgetWindows(100, 0.5);
        for (int t = 0; t < 20; t++) {
            w.add(50 * 0.1, 0.1, false, 1);
        }
        BudgetFigures f = w.figures("rapl");
        assertEquals(4, f.windows());
        assertTrue(Double.isNaN(f.budgetUse()));
        assertEquals(0.5, f.budgetUseAll(), 1e-12);
        assertEquals(0, f.overBudgetShare());
    }
}
