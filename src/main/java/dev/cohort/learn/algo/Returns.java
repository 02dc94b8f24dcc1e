package dev.cohort.learn.algo;

/**
 * n-step TD targets inside a chunk: {@code y_t = Σ_{k<m} γ^k r_{t+k} + γ^m V_{t+m}} with {@code m = min(n, T − t)}, so
 * the last steps of a chunk bootstrap sooner (a chunk ends by truncation, never by termination).
 */
final class Returns {
    private Returns() {
    }

    /**
     * @param rewards {@code [B, T]}
     * @param next    {@code [B, T, per]}: {@code next[b, t]} is the bootstrap value of the state after step {@code t}
     * @param per     values per step (agents for IQL, 1 for a mixed Q_tot)
     * @return {@code [B, T, per]}
     */
    static float[] nStep(float[] rewards, float[] next, int batch, int steps, int per, double gamma, int n) {
        return nStep(rewards, null, 1, next, batch, steps, per, gamma, n);
    }

    /**
     * The same with each agent's own reward: {@code rewards[b, t] + credit[b, t, agent]}.
     *
     * @param credit   {@code [B, T, per / perAgent]}, or null: the shared reward alone
     * @param perAgent consecutive values per agent ({@code K} heads, or 1)
     */
    static float[] nStep(float[] rewards, float[] credit, int perAgent, float[] next, int batch, int steps, int per,
                         double gamma, int n) {
        float[] y = new float[batch * steps * per];
        int agents = per / perAgent;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                int m = Math.min(n, steps - t);
                double disc = 0;
                double g = 1;
                for (int k = 0; k < m; k++) {
                    disc += g * rewards[b * steps + t + k];
                    g *= gamma;
                }
                int last = (b * steps + t + m - 1) * per;
                for (int i = 0; i < per; i++) {
                    double own = 0;
                    if (credit != null) {
                        double gk = 1;
                        for (int k = 0; k < m; k++) {
                            own += gk * credit[(b * steps + t + k) * agents + i / perAgent];
                            gk *= gamma;
                        }
                    }
                    y[(b * steps + t) * per + i] = (float) (disc + own + g * next[last + i]);
                }
            }
        }
        return y;
    }
}
