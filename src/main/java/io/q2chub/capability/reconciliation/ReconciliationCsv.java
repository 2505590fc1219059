package io.q2chub.capability.reconciliation;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * A report as CSV for finance (RFC 4180): one header line, then one line per discrepancy. Amounts are exact decimals
 * in the document's currency (never floating point): "12.345" KWD, "1200" JPY.
 */
final class ReconciliationCsv {

    static final String HEADER = "run_id,kind,document_id,billing_id,erp_id,crm_id,currency,billing_amount,"
            + "erp_amount,billing_status,erp_status,healed,exception_case_id,detail";

    private ReconciliationCsv() {
    }

    static String of(ReconciliationReport report) {
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        for (Discrepancy d : report.discrepancies()) {
            csv.append(report.id()).append(',')
                    .append(d.kind()).append(',')
                    .append(field(d.documentId())).append(',')
                    .append(field(d.billingId())).append(',')
                    .append(field(d.erpId())).append(',')
                    .append(field(d.crmId())).append(',')
                    .append(field(d.currency())).append(',')
                    .append(amount(d.billingAmountMinor(), d.currency())).append(',')
                    .append(amount(d.erpAmountMinor(), d.currency())).append(',')
                    .append(field(d.billingStatus())).append(',')
                    .append(field(d.erpStatus())).append(',')
                    .append(d.healed()).append(',')
                    .append(d.exceptionCaseId() == null ? "" : d.exceptionCaseId()).append(',')
                    .append(field(d.detail())).append("\r\n");
        }
        return csv.toString();
    }

    private static String amount(Long minor, String currency) {
        if (minor == null || currency == null) {
            return "";
        }
        return BigDecimal.valueOf(minor, Currency.getInstance(currency).getDefaultFractionDigits()).toPlainString();
    }

    /** Quoted when it holds a comma, quote or line break; a leading =+-@ is defused so a spreadsheet shows text. */
    private static String field(String value) {
        if (value == null) {
            return "";
        }
        String v = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }
}
