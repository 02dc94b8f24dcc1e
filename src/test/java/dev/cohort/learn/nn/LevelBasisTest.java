package dev.cohort.learn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The projection that keeps a head's values polynomial in the level. */
class LevelBasisTest {

    @Test
    void aPolynomialOfTheDegreeIsKeptAsItIs() {
        var basis = new LevelBasis(11, 2);
        float[] row = new float[11];
        for (int a = 0; a < 11; a++) {
            row[a] = (float) (0.3 - 0.2 * a + 0.05 * a * a);
        }
        float[] projected = row.clone();
        basis.project(projected, 1);
        assertArrayEquals(row, projected, 1e-5f);
    }

    @Test
    void perLevelNoiseIsRemovedAndTheProjectionIsIdempotent() {
        var basis = new LevelBasis(11, 2);
        // a zig-zag, one value per level with no trend: what a per-level constant left by few samples looks like
        float[] zigzag = new float[11];
        for (int a = 0; a < 11; a++) {
            zigzag[a] = a % 2 == 0 ? 0.5f : -0.5f;
        }
        basis.project(zigzag, 1);
        double kept = 0;
        for (float v : zigzag) {
            kept += v * v;
        }
        assertTrue(kept < 0.1 * 11 * 0.25, "a zig-zag keeps under a tenth of its sum of squares at degree 2: "
                + java.util.Arrays.toString(zigzag));
        float[] random = new float[3 * 11 * 4]; // three heads of 11 levels over 4 hidden units
        var rng = new SplittableRandom(3);
        for (int i = 0; i < random.length; i++) {
            random[i] = (float) rng.nextGaussian();
        }
        basis.project(random, 4);
        float[] again = random.clone();
        basis.project(again, 4);
        assertArrayEquals(random, again, 1e-5f);
        for (int head = 0; head < 3; head++) {
            for (int c = 0; c < 4; c++) {
                for (int a = 0; a + 3 < 11; a++) {
                    int i = head * 44 + a * 4 + c;
                    double third = random[i + 12] - 3 * random[i + 8] + 3 * random[i + 4] - random[i];
                    assertEquals(0, third, 1e-4, "column " + c + " of head " + head + " is quadratic in the level");
                }
            }
        }
    }

    @Test
    void aDegreeAsHighAsTheLevelsAllowChangesNothing() {
        var basis = new LevelBasis(4, 5);
        assertFalse(basis.restricts());
        assertEquals(3, basis.degree());
        float[] row = {1, -7, 3, 0.5f};
        basis.project(row, 1);
        assertArrayEquals(new float[]{1, -7, 3, 0.5f}, row);
        assertTrue(new LevelBasis(11, 3).restricts());
    }

    @Test
    void badShapesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LevelBasis(0, 2));
        assertThrows(IllegalArgumentException.class, () -> new LevelBasis(11, -1));
        assertThrows(IllegalArgumentException.class, () -> new LevelBasis(11, 2).project(new float[12], 1));
    }
}
