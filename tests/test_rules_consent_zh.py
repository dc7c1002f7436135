"""Consent forms in Chinese: deemed consent for the user (用户), disagreeing with
the policy named by its title, and what switching a feature off stops."""
import pytest

from helpers import analyse_text


def found(text):
    return {f.topic: f for f in analyse_text([("paragraph", text)], "zh").findings if text in f.text}


@pytest.mark.parametrize("text", [
    "用户开启该权限即视为用户授权我们可以访问、获取该等信息。",
    "如果您不同意本《星河隐私政策》的任何内容，我们将无法为您提供服务。",
])
def test_consent_forms(text):
    assert "consent_withdrawal" in found(text)


def test_switching_off_stops_the_processing():
    text = "当您关闭后，我们将不再获取、处理该广告标识。"
    assert "consent_withdrawal#CW-4" in found(text)["consent_withdrawal"].items


@pytest.mark.parametrize("text", ["关闭页面后，请重新登录。", "我们在得到您的同意后，才会共享您的信息。"])
def test_near_misses(text):
    assert "consent_withdrawal" not in found(text)
