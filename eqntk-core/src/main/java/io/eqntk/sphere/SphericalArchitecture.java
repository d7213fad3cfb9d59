package io.eqntk.sphere;

import io.eqntk.EqntkException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small parser for spherical layer strings, e.g. {@code s2lift(4, 0.785, b=0.1) relu so3conv(4, 0.785) relu
 * so3pool dense}, until the architecture parser learns these layers. Positional arguments: L_out, max_beta; keys
 * w=, b=, n_alpha=, n_beta=, n_gamma= (filter grid sizes; defaults 8, 3, 8 as in the published code).
 */
public final class SphericalArchitecture {
    private static final Pattern TOKEN = Pattern.compile("\\s*([A-Za-z0-9_]+)\\s*(\\(([^()]*)\\))?\\s*");

    private SphericalArchitecture() {
    }

    public static List<SphericalLayer> parse(String text) {
        List<SphericalLayer> layers = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new EqntkException("architecture: cannot read '" + text.substring(at).trim() + "'");
            }
            String name = m.group(1).toLowerCase(Locale.ROOT);
            String args = m.group(3) == null ? "" : m.group(3);
            String where = "layer " + (layers.size() + 1) + " '" + m.group().trim() + "': ";
            layers.add(layer(name, args, where));
            at = m.end();
        }
        if (layers.isEmpty()) {
            throw new EqntkException("architecture: no layers");
        }
        return layers;
    }

    private static SphericalLayer layer(String name, String args, String where) {
        if (!List.of("s2lift", "so3conv", "so3pool", "relu", "erf", "dense").contains(name)) {
            throw new EqntkException(where + "unknown spherical layer '" + name
                + "' (s2lift, so3conv, so3pool, relu, erf, dense)");
        }
        List<Double> pos = new ArrayList<>();
        double w = 1, b = 0, nAlpha = 8, nBeta = 3, nGamma = 8;
        for (String part : args.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            try {
                int eq = p.indexOf('=');
                if (eq < 0) {
                    pos.add(Double.parseDouble(p));
                    continue;
                }
                double v = Double.parseDouble(p.substring(eq + 1).trim());
                switch (p.substring(0, eq).trim().toLowerCase(Locale.ROOT)) {
                    case "w" -> w = v;
                    case "b" -> b = v;
                    case "n_alpha" -> nAlpha = v;
                    case "n_beta" -> nBeta = v;
                    case "n_gamma" -> nGamma = v;
                    default -> throw new EqntkException(where + "unknown key '" + p.substring(0, eq).trim() + "'");
                }
            } catch (NumberFormatException e) {
                throw new EqntkException(where + "'" + p + "' is not a number");
            }
        }
        boolean filtered = name.equals("s2lift") || name.equals("so3conv");
        if (filtered ? pos.size() != 2 : !pos.isEmpty()) {
            throw new EqntkException(where + (filtered ? name + " takes (L_out, max_beta, w=, b=)"
                : name + " takes no positional arguments"));
        }
        try {
            return switch (name) {
                case "s2lift" -> new SphericalLayer.S2Lift(whole(pos.get(0), where), pos.get(1), w, b,
                    whole(nAlpha, where), whole(nBeta, where));
                case "so3conv" -> new SphericalLayer.So3Conv(whole(pos.get(0), where), pos.get(1), w, b,
                    whole(nAlpha, where), whole(nBeta, where), whole(nGamma, where));
                case "so3pool" -> new SphericalLayer.So3Pool();
                case "relu" -> SphericalLayer.relu();
                case "erf" -> SphericalLayer.erf();
                case "dense" -> new SphericalLayer.Dense(w, b);
                default -> throw new EqntkException(where + "unknown spherical layer '" + name
                    + "' (s2lift, so3conv, so3pool, relu, erf, dense)");
            };
        } catch (EqntkException e) {
            throw e.getMessage().startsWith("layer ") ? e : new EqntkException(where + e.getMessage());
        }
    }

    private static int whole(double v, String where) {
        if (v != Math.rint(v) || Math.abs(v) > 1e6) {
            throw new EqntkException(where + v + " is not a whole number");
        }
        return (int) v;
    }
}
