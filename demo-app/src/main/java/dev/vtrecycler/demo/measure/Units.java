package dev.vtrecycler.demo.measure;

import java.util.Locale;

/** Numbers the way benchstat prints them: three significant digits, s/ms/µs, B/kB/MB/GB (powers of 1000). */
public final class Units {
    private Units() {}

    public static String duration(double nanos) {
        nanos = roundToThreeDigits(nanos); // so 999.6 ms prints as 1.00s, not 1000ms
        if (nanos >= 1e9) {
            return threeDigits(nanos / 1e9) + "s";
        }
        if (nanos >= 1e6) {
            return threeDigits(nanos / 1e6) + "ms";
        }
        if (nanos >= 1e3) {
            return threeDigits(nanos / 1e3) + "µs";
        }
        return threeDigits(nanos) + "ns";
    }

    public static String bytes(double bytes) {
        bytes = roundToThreeDigits(bytes);
        if (bytes >= 1e9) {
            return threeDigits(bytes / 1e9) + "GB";
        }
        if (bytes >= 1e6) {
            return threeDigits(bytes / 1e6) + "MB";
        }
        if (bytes >= 1e3) {
            return threeDigits(bytes / 1e3) + "kB";
        }
        return threeDigits(bytes) + "B";
    }

    /** A count or rate: three significant digits, k and M as powers of 1000 ("850", "4.00k", "1.20M"). */
    public static String number(double value) {
        value = roundToThreeDigits(value);
        if (value >= 1e6) {
            return threeDigits(value / 1e6) + "M";
        }
        if (value >= 1e3) {
            return threeDigits(value / 1e3) + "k";
        }
        return threeDigits(value);
    }

    private static double roundToThreeDigits(double value) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.3g", value));
    }

    /** 12.7, 2.27, 850, 1.00: three significant digits, no exponent. */
    static String threeDigits(double value) {
        double rounded = roundToThreeDigits(value);
        if (rounded >= 100) {
            return String.format(Locale.ROOT, "%.0f", rounded);
        }
        if (rounded >= 10) {
            return String.format(Locale.ROOT, "%.1f", rounded);
        }
        return String.format(Locale.ROOT, "%.2f", rounded);
    }

    /** A signed percentage change: "-69%", "+5%", "~0%" (below half a percent). */
    public static String change(double ratio) {
        double percent = (ratio - 1) * 100;
        if (Math.abs(percent) < 0.5) {
            return "~0%";
        }
        return String.format(Locale.ROOT, "%+.0f%%", percent);
    }
}
