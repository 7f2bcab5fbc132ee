package io.headroom.cli.backtest;

import io.headroom.controller.engine.EngineSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * The backtest: Headroom and the two baselines, each on its own fresh copy of the same simulated
 * site (same seed, so the same miners and the same noise draws until the strategies diverge) over
 * the same prices and reservations.
 */
public final class Backtest {

    private Backtest() {}

    /** Describes the simulation in the report. */
    static final String MODEL = "miners: simulator MinerModel (nameplate from nameplate-w, else 3010 W +-10 %;"
            + " 17-34 J/TH from the seed; sim-efficient < 25 J/TH, else sim-old); ai-*: steady "
            + SiteSimulation.AI_KW + " kW (capped by the engine); other must-run: steady " + SiteSimulation.AUXILIARY_KW
            + " kW; readings +-" + (int) (BacktestRun.NOISE * 100) + " % noise; command latency "
            + BacktestRun.LATENCY.toSeconds() + " s; engine defaults; headroom strikes at break-even + "
            + BacktestRun.MARGIN_USD_PER_MWH + " USD/MWh after 3 intervals, resumes after 3";

    /** Runs every strategy on {@code inputs} with the engine's default settings. */
    public static BacktestReport run(BacktestInputs inputs) {
        return run(inputs, EngineSettings.defaults());
    }

    public static BacktestReport run(BacktestInputs inputs, EngineSettings settings) {
        List<RunReport> runs = new ArrayList<>();
        for (Strategy strategy : Strategy.values()) {
            runs.add(new BacktestRun(inputs, strategy, settings).run());
        }
        return new BacktestReport(
                inputs.siteName(),
                inputs.from().toString(),
                inputs.to().toString(),
                inputs.step().toSeconds(),
                inputs.seed(),
                Double.isNaN(inputs.hashpriceConstant())
                        ? "from file"
                        : "constant " + inputs.hashpriceConstant() + " USD/PH/day (no --hashprice given)",
                MODEL,
                runs);
    }
}
